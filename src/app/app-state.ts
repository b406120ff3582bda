// The app layer's vocabulary (controller.ts is its machine): what the UI renders (AppState), the intents it
// sends (AppIntent), and what the controller needs and offers. Types only.

import type { Code, CodecError } from '../codec/index.ts';
import type { ConnectionDetails, Intent, IntentError, MediaStreams, SessionState } from '../rtc/index.ts';
import type { FilesIntent, FilesView } from './files.ts';
import type { GroupCallAsk, GroupView } from './group/view.ts';
import type { Settings } from './settings.ts';
import type { LoadDeviceStore, TrustIntent, TrustView } from './trust.ts';

/** 'handed-off': a code opened in this tab went to the tab it belongs to (handoff.ts). */
export type View = 'home' | 'start' | 'join' | 'settings' | 'handed-off';

export interface AppState {
  readonly view: View;
  readonly session: SessionState;
  /** The code this device shows: its offer (Start) or its answer (Join). */
  readonly code: Code | null;
  readonly link: string | null;
  /** The last code refused, and why. */
  readonly inputError: CodecError | null;
  readonly chatError: IntentError | null;
  /** File transfers (files.ts). */
  readonly files: FilesView;
  readonly settings: Settings;
  /** The name this device has when its person chose none (device-name.ts), shown in Settings. */
  readonly defaultName: string;
  /** A live session's reconnect code (restart offer, or our answer to the peer's), shown when nothing carries. */
  readonly reconnect: { readonly code: Code; readonly link: string } | null;
  /** The current call's streams. */
  readonly media: MediaStreams;
  /** Cameras this device has, counted once a call opened one (capture.ts); 0 before. */
  readonly cameras: number;
  /** A code for a new conversation arrived while one is live: it waits for Replace or Keep. */
  readonly confirmReplace: boolean;
  /** The group this device is in (docs/groups.md): roster, one conversation, "Add a device". */
  readonly group: GroupView;
  /** Remembered devices, and whether the connected peer is one (trust.ts). */
  readonly trust: TrustView;
}

export type AppIntent =
  | { readonly type: 'home' }
  | { readonly type: 'start' }
  | { readonly type: 'join' }
  | { readonly type: 'settings' }
  | { readonly type: 'submit-code'; readonly text: string }
  /** A code opened here was taken by another tab of this app. */
  | { readonly type: 'handed-off' }
  | { readonly type: 'send-chat'; readonly text: string }
  | { readonly type: 'files'; readonly intent: FilesIntent }
  /** Remembered devices in Settings: rename, forget. */
  | { readonly type: 'trust'; readonly intent: TrustIntent }
  | { readonly type: 'hangup' }
  | { readonly type: 'save-settings'; readonly settings: Settings }
  /** The person's answer to confirmReplace: end the live conversation (bye first) and join, or keep it. */
  | { readonly type: 'replace-session' }
  | { readonly type: 'keep-session' }
  /** "Add a device": a new offer code beside the live conversation; cancel drops it. */
  | { readonly type: 'group-add' }
  | { readonly type: 'group-cancel-add' }
  /** The person compared a member's link's safety words in the roster: they match, or they differ (ends it). */
  | { readonly type: 'group-words'; readonly member: string; readonly match: boolean }
  /** The group's call: start, join, decline, leave, mute, camera. */
  | { readonly type: 'group-call'; readonly ask: GroupCallAsk }
  /** Calls, restarts and reconnect codes: passed to the live session as they are. */
  | { readonly type: 'session'; readonly intent: Intent };

export interface ControllerDeps {
  readonly RTCPeerConnection: typeof RTCPeerConnection;
  readonly appVersion: string;
  /** The page address; links carry codes after '#' and never its query or fragment (codec linkFor). */
  readonly linkBase: string;
  readonly settings: Settings;
  /** This device's name when the settings hold none (device-name.ts defaultDeviceName). */
  readonly defaultName: string;
  readonly onSettings?: (s: Settings) => void;
  /** The clock (tests give their own); Date.now by default. */
  readonly now?: () => number;
  /** This device's certificate and remembered devices (device-store.ts, lazily); none: nothing is kept. */
  readonly deviceStore?: LoadDeviceStore;
  /** Test hook only: what this device forwards for other group members (group/links.ts). */
  readonly relayHook?: (raw: string) => string;
}

export interface Controller {
  dispatch(intent: AppIntent): void;
  subscribe(listener: (s: AppState) => void): () => void;
  getState(): AppState;
  /** For pagehide: say bye to a connected peer. */
  leave(): void;
  /** Takes a code opened in another tab if it is this page's own (handoff.ts); true if it did. */
  takeIfOwn(text: string): boolean;
  /** The details panel's numbers for the live connection, or null. */
  details(): Promise<ConnectionDetails | null>;
}
