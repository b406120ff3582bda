// The roster and introductions as a pure reducer (docs/groups.md): a link opens, a message arrives on a group
// channel, or a link ends → the next state and the commands (send, connect, deliver, close).

import { MAX_MEMBERS, offersTo } from './ids.ts';
import {
  type CloseReason,
  find,
  type GroupCommand,
  type GroupEvent,
  type GroupState,
  type GroupTransition,
  isLive,
  type LinkKey,
  type LinkRole,
  liveCount,
  MAX_RELAYED_PER_PAIR,
  type Member,
  type MemberStatus,
  neighbour,
  onLink,
  put,
  relayedLink,
  send,
  upLinks,
} from './state.ts';
import type { Envelope, GoneReason, GroupMessage } from './wire.ts';

/** Each neighbour hears whom this device is linked to (not itself): that is how members are introduced. */
function rosters(s: GroupState): GroupCommand[] {
  const up = s.members.filter((m) => m.status.kind === 'up');
  return upLinks(s).map(({ id, link }) =>
    send(link, {
      t: 'roster',
      members: up.filter((m) => m.id !== id).map((m) => ({ id: m.id, name: m.name })),
    }),
  );
}

/** A member's link ended: others still linking through it lose their relay; the rest hear it is gone. */
function ended(s: GroupState, gone: Member, reason: GoneReason): GroupTransition {
  let next = put(s, { ...gone, status: { kind: 'gone', reason } });
  const commands: GroupCommand[] = [];
  for (const m of next.members) {
    if (m.status.kind === 'linking' && m.status.relay === gone.id) {
      next = put(next, { ...m, status: { kind: 'failed', reason: 'relay-gone' } });
      commands.push({ type: 'close', link: m.status.link, reason: 'relay-gone' });
    }
  }
  for (const { link } of upLinks(next)) commands.push(send(link, { t: 'gone', id: gone.id, reason }));
  return { state: next, commands };
}

function onHello(
  s: GroupState,
  link: LinkKey,
  hello: Extract<GroupMessage, { t: 'hello' }>,
): GroupTransition {
  const close = (reason: CloseReason): GroupTransition => ({
    state: s,
    commands: [{ type: 'close', link, reason }],
  });
  const expected = onLink(s, link);
  if (expected?.status.kind === 'up') return { state: s, commands: [] };
  if (expected !== undefined) {
    // A link made in-band: its peer must be the member it was made for.
    if (expected.id !== hello.id) {
      const failed = put(s, { ...expected, status: { kind: 'failed', reason: 'wrong-member' } });
      return { state: failed, commands: [{ type: 'close', link, reason: 'wrong-member' }] };
    }
    const next = put(s, { ...expected, name: hello.name || expected.name, status: { kind: 'up', link } });
    return { state: next, commands: rosters(next) };
  }
  // A link made by codes.
  if (hello.id === s.self) return close('self');
  const known = find(s, hello.id);
  if (known?.status.kind === 'up') return close('duplicate');
  const others = liveCount(s) - (known !== undefined && isLive(known) ? 1 : 0);
  const admitted = s.admitting.includes(link);
  // A member that went silent and whose link came back (the network changed) was counted all along.
  const back = known?.status.kind === 'gone' && known.status.reason === 'vanished';
  if (!back && 1 + others + hello.size > MAX_MEMBERS) {
    // The device that joined a full group says so to its person as well.
    return {
      state: admitted ? s : { ...s, refused: 'group-full' },
      commands: [
        send(link, { t: 'refused', reason: 'group-full' }),
        { type: 'close', link, reason: 'group-full' },
      ],
    };
  }
  const member: Member = {
    id: hello.id,
    name: hello.name,
    introducedBy: back ? (known?.introducedBy ?? null) : null,
    admitted: back ? (known?.admitted ?? admitted) : admitted,
    status: { kind: 'up', link },
  };
  // It was being linked in-band too: the code link wins, the other is dropped.
  const dropped: GroupCommand[] =
    known?.status.kind === 'linking' ? [{ type: 'close', link: known.status.link, reason: 'duplicate' }] : [];
  const next = put({ ...s, admitting: s.admitting.filter((l) => l !== link) }, member);
  return { state: next, commands: [...dropped, ...rosters(next)] };
}

function onRoster(
  s: GroupState,
  from: Member,
  link: LinkKey,
  list: Extract<GroupMessage, { t: 'roster' }>['members'],
): GroupTransition {
  let next = s;
  const commands: GroupCommand[] = [];
  for (const entry of list) {
    if (entry.id === s.self) continue;
    const known = find(next, entry.id);
    // Linked or being linked already (one link per pair), or gone: nothing to make.
    if (known !== undefined && known.status.kind !== 'failed') continue;
    if (1 + liveCount(next) + 1 > MAX_MEMBERS) {
      // One more than the group allows: whoever told us hears it (the member that admitted it refuses it).
      if (known === undefined) commands.push(send(link, { t: 'full', id: entry.id }));
      continue;
    }
    const role: LinkRole = offersTo(s.self, entry.id) ? 'offerer' : 'answerer';
    const inBand = relayedLink(entry.id);
    next = put(next, {
      id: entry.id,
      name: entry.name || (known?.name ?? ''),
      introducedBy: known?.introducedBy ?? from.id,
      admitted: false,
      status: { kind: 'linking', role, relay: from.id, link: inBand },
    });
    commands.push({ type: 'connect', peer: entry.id, role, relay: from.id, link: inBand });
  }
  return { state: next, commands };
}

function onEnvelope(s: GroupState, via: Member, envelope: Envelope): GroupTransition {
  const none: GroupTransition = { state: s, commands: [] };
  if (envelope.to === s.self) {
    const from = find(s, envelope.from);
    if (from === undefined || from.id === via.id) return none;
    const link = relayedLink(from.id);
    const deliver: GroupCommand = { type: 'deliver', link, from: from.id, body: envelope.body };
    if (from.status.kind === 'linking') {
      // Replies go back the way the peer's messages came.
      const status = { ...from.status, relay: via.id };
      return { state: put(s, { ...from, status }), commands: [deliver] };
    }
    if (from.status.kind === 'up' && from.status.link === link) return { state: s, commands: [deliver] };
    // The offerer tries again after a failure: the answerer takes its new attempt.
    if (from.status.kind === 'failed' && !offersTo(s.self, from.id)) {
      const status: MemberStatus = { kind: 'linking', role: 'answerer', relay: via.id, link };
      return {
        state: put(s, { ...from, status }),
        commands: [{ type: 'connect', peer: from.id, role: 'answerer', relay: via.id, link }, deliver],
      };
    }
    return none;
  }
  // Relaying: only the neighbour's own envelopes (no speaking for a third member), only to another neighbour,
  // one hop, bounded per pair; forwarded as the exact text received.
  if (envelope.from !== via.id) return none;
  const to = find(s, envelope.to);
  if (to?.status.kind !== 'up') return none;
  const pair = `${envelope.from}>${envelope.to}`;
  const count = s.relayed[pair] ?? 0;
  if (count >= MAX_RELAYED_PER_PAIR) return none;
  return {
    state: { ...s, relayed: { ...s.relayed, [pair]: count + 1 } },
    commands: [{ type: 'send', link: to.status.link, text: envelope.raw, relayed: true }],
  };
}

function onMessage(s: GroupState, link: LinkKey, message: GroupMessage): GroupTransition {
  const none: GroupTransition = { state: s, commands: [] };
  if (message.t === 'hello') return onHello(s, link, message);
  // Everything else only from a member whose hello we heard on this link.
  const from = neighbour(s, link);
  if (from === undefined) return none;
  switch (message.t) {
    case 'roster':
      return onRoster(s, from, link, message.members);
    case 'relay':
      return onEnvelope(s, from, message.envelope);
    case 'gone': {
      const about = find(s, message.id);
      // Our own link to it speaks for itself.
      if (about === undefined || about.status.kind === 'up' || about.status.kind === 'gone') return none;
      const closing: GroupCommand[] =
        about.status.kind === 'linking'
          ? [{ type: 'close', link: about.status.link, reason: 'relay-gone' }]
          : [];
      return {
        state: put(s, { ...about, status: { kind: 'gone', reason: message.reason } }),
        commands: closing,
      };
    }
    case 'full': {
      // Another member cannot take a device this one admitted: it is refused (both of two racing joins may be).
      const about = find(s, message.id);
      if (about?.status.kind !== 'up' || !about.admitted) return none;
      const refused = ended(s, about, 'refused');
      return {
        state: refused.state,
        commands: [
          send(about.status.link, { t: 'refused', reason: 'group-full' }),
          { type: 'close', link: about.status.link, reason: 'group-full' },
          ...refused.commands,
        ],
      };
    }
    case 'refused': {
      const gone = ended({ ...s, refused: message.reason }, from, 'refused');
      return { state: gone.state, commands: [...gone.commands, { type: 'close', link, reason: 'refused' }] };
    }
    case 'unknown':
      return none;
  }
}

export function reduceGroup(s: GroupState, event: GroupEvent): GroupTransition {
  switch (event.type) {
    case 'link-open': {
      const state = event.admitted ? { ...s, admitting: [...s.admitting, event.link] } : s;
      const hello = send(event.link, { t: 'hello', id: s.self, name: s.name, size: 1 + liveCount(s) });
      return { state, commands: [hello] };
    }
    case 'message':
      return onMessage(s, event.link, event.message);
    case 'link-closed': {
      const s1 = { ...s, admitting: s.admitting.filter((l) => l !== event.link) };
      const member = onLink(s1, event.link);
      if (member === undefined) return { state: s1, commands: [] };
      if (member.status.kind === 'up') return ended(s1, member, event.reason);
      return {
        state: put(s1, { ...member, status: { kind: 'failed', reason: 'attempt-failed' } }),
        commands: [],
      };
    }
    case 'link-failed': {
      const member = onLink(s, event.link);
      if (member?.status.kind !== 'linking') return { state: s, commands: [] };
      return {
        state: put(s, { ...member, status: { kind: 'failed', reason: 'attempt-failed' } }),
        commands: [{ type: 'close', link: event.link, reason: 'failed' }],
      };
    }
  }
}
