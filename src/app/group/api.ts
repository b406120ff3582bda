// What the group's glue offers the controller (links.ts makes it, lazy.ts stands in for it until it is loaded)
// and what it needs from it.

import type { LinkKey, MemberId } from '../../group/index.ts';
import type { ChatTextError, Session, SessionState } from '../../rtc/index.ts';
import type { MoreFiles } from '../files.ts';
import type { GroupCallAsk, GroupView } from './view.ts';

export interface GroupDeps {
  readonly self: MemberId;
  /** This device's name as it is now (the person may change it in Settings between links). */
  readonly name: () => string;
  /** A new session for a link, made as the controller makes its own (ICE servers, name, features). */
  readonly makeSession: () => Session;
  /** The page address, for the "Add a device" code's link. */
  readonly linkBase: string;
  /**
   * Test hook only (issue 16, proof 3: a tampering relay): what this device forwards for other members. Absent,
   * the exact text received goes on, as the protocol says.
   */
  readonly relayHook?: (raw: string) => string;
}

export interface GroupLinks {
  /** A session the controller holds (the first pair, made by codes), with each of its states. */
  follow(key: LinkKey, session: Session, state: SessionState): void;
  /** That session is disposed (a new conversation replaces it): its link ends as if its peer had left. */
  drop(key: LinkKey): void;
  /** "Add a device": a new offer code on its own session. */
  add(): void;
  cancelAdd(): void;
  /** The person compared the safety words of `member`'s link: its session hears "they match" or "they differ". */
  compare(member: string, match: boolean): void;
  /** A code read while adding: the newcomer's answer. True if it was taken (right or wrong). */
  takeAnswer(text: string): boolean;
  /** The group's call: one call with every member (docs/groups.md, "Calls"). */
  call(ask: GroupCallAsk): void;
  /** One message on every link that is up, with one id; the text's fault if the protocol refuses it. */
  sendChat(text: string): ChatTextError | null;
  /** Bye on every link this group made. */
  hangup(): void;
  /** For pagehide: bye on every link this group made, before the page goes. */
  leave(): void;
  /** Chat ids for every link's session: one id per group message (sendChat sets it). */
  chatId(): string;
  getView(): GroupView;
  subscribe(listener: (v: GroupView) => void): () => void;
  /** The files on the links this group made (the controller's session has its own engine). */
  readonly files: MoreFiles;
}
