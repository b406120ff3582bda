// The group view built from the roster reducer's state and the links' chats (view.ts says what it is). Pure.

import { canAdd, type GroupState, type Member } from '../../group/index.ts';
import type { GroupChatEntry } from './chat.ts';
import type { Adding, GroupView, RosterEntry, RosterLink } from './view.ts';

function linkOf(m: Member): RosterLink {
  return m.status.kind === 'gone' ? m.status.reason : m.status.kind;
}

export function rosterOf(s: GroupState): RosterEntry[] {
  const nameOf = (id: string | null): string | null =>
    id === null ? null : (s.members.find((m) => m.id === id)?.name ?? '');
  return s.members.map((m) => ({
    id: m.id,
    name: m.name,
    link: linkOf(m),
    introducedBy: nameOf(m.introducedBy),
  }));
}

export function groupView(
  s: GroupState,
  chat: readonly GroupChatEntry[],
  adding: Adding | null,
  possible: boolean,
): GroupView {
  return {
    active: s.members.length > 1 || adding !== null,
    possible,
    members: rosterOf(s),
    chat,
    canAdd: possible && canAdd(s) && s.refused === null,
    adding,
    refused: s.refused !== null,
  };
}
