// The group's glue (docs/groups.md): one rtc session per link, the 'pigeon-group' channel on each, and the
// roster reducer (src/group) driven by what those channels and sessions do. The reducer decides; this file
// only carries its commands out: sends, in-band links made over a relay, bodies delivered, links closed.

import {
  GROUP_FEATURE,
  type GroupCommand,
  type GroupEvent,
  type GroupState,
  initialGroup,
  type LinkKey,
  type MemberId,
  parseGroup,
  reduceGroup,
} from '../../group/index.ts';
import { heldConnection, type Session, type SessionState, validateChatText } from '../../rtc/index.ts';
import { type AddingLink, createAdding } from './adding.ts';
import type { GroupDeps, GroupLinks } from './api.ts';
import { createGroupCall } from './call.ts';
import { mergeChat } from './chat.ts';
import { bodyToSend, closedReason, envelopeFor, FIRST_ATTEMPT, received } from './exchange.ts';
import { createGroupFiles } from './files.ts';
import { followChannel, type Link, newLink } from './link.ts';
import { groupView, ofLinks } from './roster-view.ts';
import { type GroupView, NO_GROUP } from './view.ts';

/**
 * `early`: the controller's links as lazy.ts held them until this code loaded (their channels made, what came
 * on them held); the next `follow` of each goes on from there.
 */
export function createGroupLinks(deps: GroupDeps, early: readonly Link[] = []): GroupLinks {
  const listeners = new Set<(v: GroupView) => void>();
  const links = new Map<LinkKey, Link>();
  /** Which member each link reached (kept once it is gone, so its messages keep their writer). */
  const memberOf = new Map<LinkKey, MemberId>();
  // Named at each link's hello (openLink): the controller's settings are not read while it is made.
  let group: GroupState = initialGroup(deps.self, '');
  let adding: AddingLink | null = null;
  let pendingChatId: string | null = null;
  let possible = false;
  let view: GroupView = NO_GROUP;
  let addCount = 0;
  /** The link of the device being added, until it connects. */
  let addingKey: LinkKey | null = null;
  for (const link of early) {
    links.set(link.key, link);
    take(link);
  }
  /** The members whose link is up now, with it. */
  const upMembers = () =>
    group.members.flatMap((m) =>
      m.status.kind === 'up' ? [{ id: m.id, name: m.name, link: m.status.link }] : [],
    );
  const nameOf = (key: LinkKey): string => {
    const member = memberOf.get(key);
    return group.members.find((m) => m.id === member)?.name ?? '';
  };
  const files = createGroupFiles(
    upMembers,
    nameOf,
    // In a group, the rows of the controller's own session name its member too.
    () =>
      view.active ? ([...links.values()].find((l) => !l.own && memberOf.has(l.key))?.key ?? null) : null,
  );

  const groupCall = createGroupCall(
    () => group.members.length > 1 || adding !== null,
    () =>
      upMembers().flatMap((m) => {
        const session = links.get(m.link)?.session;
        return session === undefined ? [] : [{ key: m.link, peer: m.id, name: m.name, session }];
      }),
    // One call id on every link, as one chat id (chatId).
    (id, dispatch) => {
      pendingChatId = id;
      try {
        dispatch();
      } finally {
        pendingChatId = null;
      }
    },
  );

  function publish(): void {
    groupCall.settle();
    const { chats, words } = ofLinks(links.values(), memberOf, nameOf);
    const call = groupCall.view();
    view = groupView(group, mergeChat(chats), adding?.view() ?? null, possible, words, call);
    for (const l of [...listeners]) l(view);
  }

  function reduce(event: GroupEvent): void {
    const next = reduceGroup(group, event);
    group = next.state;
    for (const m of group.members)
      if (m.status.kind === 'up' || m.status.kind === 'linking') memberOf.set(m.status.link, m.id);
    for (const c of next.commands) execute(c);
    publish();
  }

  function sendOn(key: LinkKey, text: string): void {
    const ch = links.get(key)?.channel;
    if (ch?.readyState === 'open') ch.send(text);
  }

  /** Our part of an in-band exchange goes through the member that relays it now. */
  function sendBody(link: Link): void {
    const inBand = link.inBand;
    if (inBand === null || inBand.sent) return;
    const body = bodyToSend(link.state, inBand.role, inBand.attempt ?? FIRST_ATTEMPT);
    if (body === null) return;
    const member = group.members.find((m) => m.id === inBand.peer);
    if (member?.status.kind !== 'linking') return;
    const via = member.status.relay;
    const relay = group.members.find((m) => m.id === via);
    const envelope = envelopeFor(deps.self, inBand.peer, body);
    if (relay?.status.kind !== 'up' || envelope === null) {
      reduce({ type: 'link-failed', link: link.key });
      return;
    }
    inBand.sent = true;
    inBand.attempt = body.a;
    sendOn(relay.status.link, envelope);
  }

  /** The link's group channel events come here from now on; what came before waits in `held`. */
  function take(link: Link): void {
    link.handlers = {
      open: () => openLink(link),
      message: (data) => {
        if (!link.opened) link.held.push(data);
        else onData(link, data);
      },
    };
  }

  function onData(link: Link, data: unknown): void {
    const parsed = parseGroup(data);
    if (parsed.ok) reduce({ type: 'message', link: link.key, message: parsed.value });
  }

  /** The channel is open and the peer takes part in groups: the roster hears of the link. */
  function openLink(link: Link): void {
    const s = link.state;
    if (link.opened || link.ended || link.channel?.readyState !== 'open') return;
    if (s.kind !== 'connected' || s.peer?.features.includes(GROUP_FEATURE) !== true) return;
    link.opened = true;
    // The hello on this link says the name as it is now.
    group = { ...group, name: deps.name() };
    reduce({ type: 'link-open', link: link.key, admitted: link.admitted });
    const held = link.held;
    link.held = [];
    for (const data of held) onData(link, data);
  }

  function onState(link: Link, s: SessionState): void {
    followChannel(link, s);
    if (link.own) files.follow(link.key, link.session, s);
    if (s.kind === 'connected') {
      openLink(link);
    } else if (link.inBand !== null) {
      sendBody(link);
    }
    const resumable = s.kind === 'closed' && heldConnection(s) !== null;
    if (resumable && link.opened && !link.ended) {
      // Gone for now; if the connection heals, its 'connected' opens the link again (openLink).
      link.opened = false;
      link.paused = true;
      reduce({ type: 'link-closed', link: link.key, reason: 'vanished' });
    } else if ((s.kind === 'closed' || s.kind === 'failed') && !resumable && !link.ended) {
      link.ended = true;
      link.abort?.abort();
      if (link.opened) reduce({ type: 'link-closed', link: link.key, reason: closedReason(s) });
      else if (link.inBand !== null && !link.paused) reduce({ type: 'link-failed', link: link.key });
    }
    publish();
  }

  function own(key: LinkKey, session: Session, admitted: boolean, inBand: Link['inBand']): Link {
    const link = newLink(key, session, { own: true, admitted, inBand });
    take(link);
    links.set(key, link);
    session.subscribe((s) => onState(link, s));
    return link;
  }

  function execute(c: GroupCommand): void {
    switch (c.type) {
      case 'send':
        sendOn(c.link, c.relayed === true && deps.relayHook !== undefined ? deps.relayHook(c.text) : c.text);
        return;
      case 'connect': {
        links.get(c.link)?.session.dispose();
        const link = own(c.link, deps.makeSession(), false, {
          role: c.role,
          peer: c.peer,
          attempt: c.role === 'offerer' ? FIRST_ATTEMPT : null,
          sent: false,
        });
        if (c.role === 'offerer') link.session.dispatch({ type: 'start' });
        return;
      }
      case 'deliver': {
        const link = links.get(c.link);
        const inBand = link?.inBand;
        if (link === undefined || !inBand || link.ended) return;
        const r = received(c.body, inBand.role, inBand.attempt);
        if (r.kind === 'ignore') return;
        if (r.kind === 'fail') {
          reduce({ type: 'link-failed', link: c.link });
          return;
        }
        inBand.attempt = r.attempt;
        link.session.dispatch(r.intent);
        return;
      }
      case 'close': {
        const link = links.get(c.link);
        if (link === undefined) return;
        link.session.dispatch({ type: 'hangup' });
        return;
      }
    }
  }

  return {
    follow(key, session, state) {
      let link = links.get(key);
      if (link === undefined || link.session !== session) {
        link = newLink(key, session, { own: false, admitted: false, inBand: null });
        take(link);
        links.set(key, link);
      }
      if (state.kind === 'connected') {
        link.admitted = state.role === 'offerer';
        const can = state.peer?.features.includes(GROUP_FEATURE) === true;
        if (can !== possible) possible = can;
      }
      onState(link, state);
    },
    drop(key) {
      const link = links.get(key);
      if (link === undefined || link.ended) return;
      link.ended = true;
      link.abort?.abort();
      if (link.opened) reduce({ type: 'link-closed', link: key, reason: 'left' });
    },
    add() {
      if (adding !== null || !view.canAdd) return;
      // A link from the start (its group channel is made with its offer); the roster hears of it once open.
      addCount += 1;
      const key = `add:${addCount}`;
      const session = deps.makeSession();
      own(key, session, true, null);
      addingKey = key;
      adding = createAdding({
        session,
        linkBase: deps.linkBase,
        onChange: publish,
        onConnected: () => {
          adding = null;
          addingKey = null;
          publish();
        },
      });
      publish();
    },
    cancelAdd() {
      adding?.cancel();
      if (addingKey !== null) links.delete(addingKey);
      adding = null;
      addingKey = null;
      publish();
    },
    compare(member, match) {
      const m = group.members.find((x) => x.id === member);
      if (m?.status.kind === 'up')
        links.get(m.status.link)?.session.dispatch({ type: match ? 'sas-match' : 'sas-differ' });
    },
    takeAnswer(text) {
      return adding?.takeAnswer(text) ?? false;
    },
    call(ask) {
      groupCall.ask(ask);
      publish();
    },
    sendChat(text) {
      const checked = validateChatText(text);
      if (!checked.ok) return checked.error;
      pendingChatId = crypto.randomUUID();
      for (const m of upMembers()) links.get(m.link)?.session.dispatch({ type: 'send-chat', text });
      pendingChatId = null;
      return null;
    },
    hangup() {
      adding?.cancel();
      adding = null;
      for (const link of links.values()) if (link.own) link.session.dispatch({ type: 'hangup' });
    },
    leave() {
      for (const link of links.values()) if (link.own) link.session.sendBye();
    },
    chatId: () => pendingChatId ?? crypto.randomUUID(),
    getView: () => view,
    files,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
