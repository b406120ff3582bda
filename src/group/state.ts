// The roster reducer's vocabulary (docs/groups.md): what this device knows of the group's members and their
// links, the events it reduces and the commands it gives. Links are named by keys the app chooses for links
// made by codes; a link made in-band is `relayedLink`.

import { MAX_MEMBERS, type MemberId } from './ids.ts';
import { encodeGroup, type GoneReason, type GroupMessage, type RefusedReason } from './wire.ts';

export type LinkKey = string;

/** The key of the link made in-band with `peer` (the app's keys for code links must not start with 'in:'). */
export const relayedLink = (peer: MemberId): LinkKey => `in:${peer}`;

/** Envelopes one relay forwards for one (from, to) pair: a complete exchange needs 2, room for retries. */
export const MAX_RELAYED_PER_PAIR = 256;

export type LinkRole = 'offerer' | 'answerer';

export type MemberStatus =
  /** A link being made in-band: its descriptions go through `relay`. */
  | { readonly kind: 'linking'; readonly role: LinkRole; readonly relay: MemberId; readonly link: LinkKey }
  | { readonly kind: 'up'; readonly link: LinkKey }
  /** The in-band link did not come up (a later roster may introduce it again). */
  | { readonly kind: 'failed'; readonly reason: 'relay-gone' | 'attempt-failed' | 'wrong-member' }
  | { readonly kind: 'gone'; readonly reason: GoneReason };

export interface Member {
  readonly id: MemberId;
  readonly name: string;
  /** Who told us of this member; null when we were linked by codes. */
  readonly introducedBy: MemberId | null;
  /** This device admitted it: its code link answered our offer ("Add a device"). */
  readonly admitted: boolean;
  readonly status: MemberStatus;
}

export interface GroupState {
  readonly self: MemberId;
  readonly name: string;
  /** Every other member seen, first seen first; gone ones stay, shown as gone. */
  readonly members: readonly Member[];
  /** The member this device joined refused it. */
  readonly refused: RefusedReason | null;
  /** Envelopes forwarded, per `${from}>${to}`. */
  readonly relayed: Readonly<Record<string, number>>;
  /** Code links that answered our offer, open but their hello not heard yet. */
  readonly admitting: readonly LinkKey[];
}

export type GroupEvent =
  /** A link's group channel opened. admitted: a code link that answered our offer. */
  | { readonly type: 'link-open'; readonly link: LinkKey; readonly admitted: boolean }
  | { readonly type: 'message'; readonly link: LinkKey; readonly message: GroupMessage }
  /** The link ended: the peer said bye ('left') or it went silent or was lost ('vanished'). */
  | { readonly type: 'link-closed'; readonly link: LinkKey; readonly reason: 'left' | 'vanished' }
  /** A link made in-band did not come up. */
  | { readonly type: 'link-failed'; readonly link: LinkKey };

export type CloseReason =
  | 'group-full'
  | 'duplicate'
  | 'self'
  | 'wrong-member'
  | 'refused'
  | 'relay-gone'
  | 'failed';

export type GroupCommand =
  /** `relayed`: another member's envelope, forwarded as the exact text received. */
  | { readonly type: 'send'; readonly link: LinkKey; readonly text: string; readonly relayed?: true }
  /** Make the link with `peer` in-band: the offerer starts, the answerer waits for the offer. */
  | {
      readonly type: 'connect';
      readonly peer: MemberId;
      readonly role: LinkRole;
      readonly relay: MemberId;
      readonly link: LinkKey;
    }
  /** A relayed body for the in-band link with `from`. */
  | { readonly type: 'deliver'; readonly link: LinkKey; readonly from: MemberId; readonly body: string }
  | { readonly type: 'close'; readonly link: LinkKey; readonly reason: CloseReason };

export interface GroupTransition {
  readonly state: GroupState;
  readonly commands: readonly GroupCommand[];
}

export const initialGroup = (self: MemberId, name: string): GroupState => ({
  self,
  name,
  members: [],
  refused: null,
  relayed: {},
  admitting: [],
});

export const isLive = (m: Member): boolean => m.status.kind === 'up' || m.status.kind === 'linking';
/** Members linked or being linked, this device not counted. */
export const liveCount = (s: GroupState): number => s.members.filter(isLive).length;
/** "Add a device" is possible: room for one more, and this device was not refused. */
export const canAdd = (s: GroupState): boolean => 1 + liveCount(s) < MAX_MEMBERS;

export const linkOf = (m: Member): LinkKey | null =>
  m.status.kind === 'up' || m.status.kind === 'linking' ? m.status.link : null;
export const onLink = (s: GroupState, link: LinkKey): Member | undefined =>
  s.members.find((m) => linkOf(m) === link);
export const neighbour = (s: GroupState, link: LinkKey): Member | undefined => {
  const m = onLink(s, link);
  return m?.status.kind === 'up' ? m : undefined;
};
export const find = (s: GroupState, id: MemberId): Member | undefined => s.members.find((m) => m.id === id);
export const upLinks = (s: GroupState): { id: MemberId; link: LinkKey }[] =>
  s.members.flatMap((m) => (m.status.kind === 'up' ? [{ id: m.id, link: m.status.link }] : []));

export function put(s: GroupState, member: Member): GroupState {
  const at = s.members.findIndex((m) => m.id === member.id);
  const members = at < 0 ? [...s.members, member] : s.members.map((m, i) => (i === at ? member : m));
  return { ...s, members };
}

export const send = (link: LinkKey, message: Parameters<typeof encodeGroup>[0]): GroupCommand => ({
  type: 'send',
  link,
  text: encodeGroup(message),
});
