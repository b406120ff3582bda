// What the UI shows of the group: the roster (names, link state, who introduced whom), the one conversation,
// and the "Add a device" exchange. Part of the first load (the screens read it); roster-view.ts builds it, in
// the group's lazy code.

import type { Code, CodecError } from '../../codec/index.ts';
import type { GroupCallIntent } from '../../group/index.ts';
import type { CallEnd } from '../../rtc/index.ts';
import type { GroupChatEntry } from './chat.ts';

export type RosterLink = 'linking' | 'up' | 'failed' | 'left' | 'vanished' | 'refused';

export interface RosterEntry {
  readonly id: string;
  /** '' when the member sent no name (the UI shows a default). */
  readonly name: string;
  readonly link: RosterLink;
  /** The name of the member who introduced it; null when linked by codes. */
  readonly introducedBy: string | null;
  /**
   * The safety words of this device's link with it (SAS_SYMBOLS indices), once shown: a link made in-band
   * carries the commitment end to end, so the relay cannot choose them; null before or without.
   */
  readonly words: LinkWords | null;
  /**
   * The words were not compared by both people, but the member was introduced by one whose link with this
   * device was: its descriptions came through a relay this device's person verified.
   */
  readonly viaVerified: boolean;
}

/** A link's safety words and who confirmed them. */
export interface LinkWords {
  /** SAS_SYMBOLS indices. */
  readonly symbols: readonly number[];
  /** This device's person said they match. */
  readonly confirmed: boolean;
  /** The other device says its person did. */
  readonly peerConfirmed: boolean;
}

/** "Add a device" on this device: its offer code, then the newcomer's answer read in. */
export type Adding =
  | { readonly stage: 'making' }
  | { readonly stage: 'offer'; readonly code: Code; readonly link: string; readonly error: CodecError | null }
  | { readonly stage: 'connecting' }
  | { readonly stage: 'failed' };

/** A member in the group's call as this device sees it. */
export interface CallMember {
  readonly id: string;
  /** '' when the member sent no name. */
  readonly name: string;
  /** In the call with this device; false while it is still being called (or calling us). */
  readonly joined: boolean;
  /** What the member says it sends. */
  readonly mic: boolean;
  readonly cam: boolean;
  /** Its sound and pictures, once they arrive. */
  readonly remote: MediaStream | null;
}

/** The group's call (docs/groups.md, "Calls"): one call with every member, a pairwise call on each link. */
export interface GroupCallView {
  /** ringing: a member calls and this device has not answered; in-call: started or joined here. */
  readonly phase: 'idle' | 'ringing' | 'in-call';
  readonly video: boolean;
  /** What this device sends. */
  readonly mic: boolean;
  readonly cam: boolean;
  /** Ringing: who calls. In a call: every member in it or being called. */
  readonly members: readonly CallMember[];
  /** Our own capture, for the preview. */
  readonly local: MediaStream | null;
  /** How the last call ended, until another starts. */
  readonly ended: CallEnd | null;
}

/** What the person asks of the group's call: group/call.ts's intents, a start without its id (the glue's). */
export type GroupCallAsk =
  | Exclude<GroupCallIntent, { type: 'start' }>
  | { readonly type: 'start'; readonly video: boolean };

export const NO_GROUP_CALL_VIEW: GroupCallView = {
  phase: 'idle',
  video: false,
  mic: true,
  cam: false,
  members: [],
  local: null,
  ended: null,
};

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
  readonly call: GroupCallView;
}

export const NO_GROUP: GroupView = {
  active: false,
  possible: false,
  members: [],
  chat: [],
  canAdd: false,
  adding: null,
  refused: false,
  call: NO_GROUP_CALL_VIEW,
};
