// The group view built from the roster reducer's state and the links' sessions (their chats and safety words;
// view.ts says what it is). Pure.

import { canAdd, type GroupState, type Member, type MemberId } from '../../group/index.ts';
import type { GroupChatEntry, LinkChat } from './chat.ts';
import type { Link } from './link.ts';
import {
  type Adding,
  type GroupCallView,
  type GroupView,
  type LinkWords,
  NO_GROUP_CALL_VIEW,
  type RosterEntry,
  type RosterLink,
} from './view.ts';

function linkOf(m: Member): RosterLink {
  return m.status.kind === 'gone' ? m.status.reason : m.status.kind;
}

/** `words`: each member's link's safety words, where shown. */
export function rosterOf(s: GroupState, words: ReadonlyMap<string, LinkWords> = new Map()): RosterEntry[] {
  const verified = (id: string | null) => {
    const w = id === null ? undefined : words.get(id);
    return w?.confirmed === true && w.peerConfirmed;
  };
  const nameOf = (id: string | null): string | null =>
    id === null ? null : (s.members.find((m) => m.id === id)?.name ?? '');
  return s.members.map((m) => ({
    id: m.id,
    name: m.name,
    link: linkOf(m),
    introducedBy: nameOf(m.introducedBy),
    words: words.get(m.id) ?? null,
    viaVerified: !verified(m.id) && verified(m.introducedBy),
  }));
}

export function groupView(
  s: GroupState,
  chat: readonly GroupChatEntry[],
  adding: Adding | null,
  possible: boolean,
  words?: ReadonlyMap<string, LinkWords>,
  call: GroupCallView = NO_GROUP_CALL_VIEW,
): GroupView {
  return {
    active: s.members.length > 1 || adding !== null,
    possible,
    members: rosterOf(s, words),
    chat,
    canAdd: possible && canAdd(s) && s.refused === null,
    adding,
    refused: s.refused !== null,
    call,
  };
}

/** What the links' sessions add to the view: each member's chat and, once shown, its link's safety words. */
export function ofLinks(
  links: Iterable<Link>,
  memberOf: ReadonlyMap<string, MemberId>,
  nameOf: (key: string) => string,
): { chats: LinkChat[]; words: Map<string, LinkWords> } {
  const chats: LinkChat[] = [];
  const words = new Map<string, LinkWords>();
  for (const link of links) {
    const s = link.state;
    const member = memberOf.get(link.key);
    if (member === undefined || (s.kind !== 'connected' && s.kind !== 'closed')) continue;
    chats.push({ member, name: nameOf(link.key), chat: s.chat });
    if (s.kind === 'connected' && s.sas.kind === 'shown')
      words.set(member, {
        symbols: s.sas.symbols,
        confirmed: s.verified !== null,
        peerConfirmed: s.sas.remote,
      });
  }
  return { chats, words };
}
