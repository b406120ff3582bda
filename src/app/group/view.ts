// What the UI shows of the group: the roster (names, link state, who introduced whom), the one conversation,
// and the "Add a device" exchange. Pure: built from the roster reducer's state and the links' chats.

import type { Code, CodecError } from '../../codec/index.ts';
import { canAdd, type GroupState, type Member } from '../../group/index.ts';
import type { GroupChatEntry } from './chat.ts';

export type RosterLink = 'linking' | 'up' | 'failed' | 'left' | 'vanished' | 'refused';

export interface RosterEntry {
  readonly id: string;
  /** '' when the member sent no name (the UI shows a default). */
  readonly name: string;
  readonly link: RosterLink;
  /** The name of the member who introduced it; null when linked by codes. */
  readonly introducedBy: string | null;
}

/** "Add a device" on this device: its offer code, then the newcomer's answer read in. */
export type Adding =
  | { readonly stage: 'making' }
  | { readonly stage: 'offer'; readonly code: Code; readonly link: string; readonly error: CodecError | null }
  | { readonly stage: 'connecting' }
  | { readonly stage: 'failed' };

export interface GroupView {
  /** More than one other member, ever, or a device being added: the screen is the group's. */
  readonly active: boolean;
  /** The peer of the first link can take part in a group (it announced 'group'). */
  readonly possible: boolean;
  readonly members: readonly RosterEntry[];
  readonly chat: readonly GroupChatEntry[];
  readonly canAdd: boolean;
  readonly adding: Adding | null;
  /** The member this device joined refused it: the group is full. */
  readonly refused: boolean;
}

export const NO_GROUP: GroupView = {
  active: false,
  possible: false,
  members: [],
  chat: [],
  canAdd: false,
  adding: null,
  refused: false,
};

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
