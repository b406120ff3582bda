// One link of the group as the glue holds it: its session, its 'pigeon-group' channel, and for a link made
// in-band its part of the exchange.

import type { LinkKey, LinkRole, MemberId } from '../../group/index.ts';
import {
  type DataChannelLike,
  type OpenHandlers,
  type Session,
  type SessionState,
  whenOpen,
} from '../../rtc/index.ts';

/** The group channel beside the session (0) and files (1) channels, negotiated on both ends. */
export const GROUP_CHANNEL_LABEL = 'pigeon-group';
export const GROUP_CHANNEL_ID = 2;

export interface InBand {
  readonly role: LinkRole;
  readonly peer: MemberId;
  /** The offerer's from the start; the answerer's once the offer arrived. */
  attempt: string | null;
  /** Our description went out. */
  sent: boolean;
}

export interface Link {
  readonly key: LinkKey;
  readonly session: Session;
  /** Made by this glue (in-band or added), so disposed by it. */
  readonly own: boolean;
  /** A code link that answered our offer. */
  admitted: boolean;
  /** In-band links: our role and attempt (the answerer's is the offerer's, once its offer arrived). */
  readonly inBand: InBand | null;
  state: SessionState;
  channel: DataChannelLike | null;
  since: number | null;
  abort: AbortController | null;
  /** link-open was reduced; messages that came before wait in `held`. */
  opened: boolean;
  held: unknown[];
  ended: boolean;
  /**
   * The session went silent but may come back (a connection kept for a reconnect, or healing by itself): the
   * roster heard the member gone, and hears it again once the link is up (its channel is kept).
   */
  paused: boolean;
  /**
   * What the group channel's events go to. Before the group's code has loaded (lazy.ts) they only wait in
   * `held`; links.ts takes them over.
   */
  handlers: OpenHandlers;
}

export function newLink(
  key: LinkKey,
  session: Session,
  made: Pick<Link, 'own' | 'admitted' | 'inBand'>,
): Link {
  const link: Link = {
    key,
    session,
    ...made,
    state: session.getState(),
    channel: null,
    since: null,
    abort: null,
    opened: false,
    held: [],
    ended: false,
    paused: false,
    handlers: { open() {}, message() {} },
  };
  link.handlers = { open() {}, message: (data) => link.held.push(data) };
  return link;
}

/** A session state that holds a connection the channel can be made on (before it carries anything). */
export const hasConnection = (s: SessionState): boolean =>
  s.kind === 'offer-ready' || s.kind === 'answer-ready' || s.kind === 'connecting' || s.kind === 'connected';

/**
 * The link's group channel on its connection; `since` the connected state's, null before it connected (a move
 * brings a new connection and channel; the old one goes).
 */
function openGroupChannel(link: Link, since: number | null): void {
  link.abort?.abort();
  link.channel?.close();
  const abort = new AbortController();
  const channel = link.session.openChannel(GROUP_CHANNEL_LABEL, { negotiated: true, id: GROUP_CHANNEL_ID });
  link.abort = abort;
  link.channel = channel;
  link.since = since;
  if (channel !== null)
    whenOpen(
      channel,
      { open: () => link.handlers.open(), message: (data) => link.handlers.message(data) },
      abort.signal,
    );
}

/**
 * The channel for a state of the link's session: made with the connection, before it can carry anything (a
 * message on a stream with no channel yet is dropped: seen, a peer's hello lost when this side opened it at
 * 'connected'); a move (new connection) brings a new one, and the link stays the roster's.
 */
export function followChannel(link: Link, s: SessionState): void {
  link.state = s;
  if (link.channel === null && hasConnection(s)) openGroupChannel(link, null);
  if (s.kind !== 'connected') return;
  if (link.since === null) link.since = s.since;
  else if (link.since !== s.since) openGroupChannel(link, s.since);
}
