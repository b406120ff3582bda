// The rtc room's one entry point for the UI: dispatch intents, render states. The UI never touches
// RTCPeerConnection; the app layer glues codes (codec) to the SDP strings this room deals in.

import type { DataChannelLike } from './base/peer.ts';
import { err, ok, type Result } from './base/result.ts';
import { ANSWER_SECRET_LENGTH, OFFER_SECRET_LENGTH } from './base/sas.ts';
import { type ChatTextError, validateChatText } from './inband/control.ts';
import type { ConnectionDetails } from './link/stats.ts';
import type { SessionEvent, SessionState, StateKind } from './model/types.ts';
import { createRunner, type MediaStreams, type RunnerDeps } from './runner/runner.ts';
import { INITIAL_STATE, reduce } from './session/session.ts';

export {
  GATHER_DEADLINE_NO_SERVER_MS,
  GATHER_DEADLINE_WITH_SERVER_MS,
  GATHER_QUIET_MS,
} from './base/gather.ts';
export {
  type Fields,
  field,
  isBoundedString,
  isFields,
  type JsonError,
  parseObject,
  versionOf,
} from './base/json.ts';
export { type OpenHandlers, whenOpen } from './base/opened.ts';
export type { DataChannelLike, PeerConnectionConstructor } from './base/peer.ts';
export { err, ok, type Result } from './base/result.ts';
export { SAFETY_SYMBOLS, type SafetySymbol } from './base/safety-symbols.ts';
export { certificateOf, fromHex, SAS_SYMBOLS, sameBytes, toHex } from './base/sas.ts';
export type { CallEnd, CallState } from './call/call.ts';
export type { ChatTextError, ControlError, ControlMessage } from './inband/control.ts';
export {
  displayText,
  FEATURES,
  KEEPALIVE_INTERVAL_MS,
  MAX_CHAT_CHARS,
  PEER_SILENCE_MS,
  validateChatText,
} from './inband/control.ts';
export type { NegState, Role } from './inband/neg-model.ts';
export { RESTART_GRACE_MS } from './link/live.ts';
export { type ConnectionDetails, summarizeStats } from './link/stats.ts';
export type { ChatEntry, ChatLog, LocalEntry, RemoteEntry } from './model/chat.ts';
export { MAX_CHAT_LOG_ENTRIES } from './model/chat.ts';
export { heldConnection } from './model/held.ts';
export type {
  CloseReason,
  FailReason,
  Fingerprints,
  LinkState,
  LiveState,
  PeerInfo,
  SasState,
  SessionState,
  StateKind,
  Verified,
} from './model/types.ts';
export type { MediaStreams, RunnerDeps } from './runner/runner.ts';
export { codeField, reconnectKey } from './session/sas.ts';
export { LATE_ANSWER_DEADLINE_MS, reduce } from './session/session.ts';

/** What the UI may ask for. */
export type Intent =
  | { readonly type: 'start' }
  /** resume: the peer's offer for a new connection that carries this session on (recognised by the app). */
  /** commit: the offer code's safety-words commitment, if it carried one. */
  | {
      readonly type: 'join';
      readonly offerSdp: string;
      readonly resume?: boolean;
      readonly commit?: Uint8Array;
    }
  /** peerSecret: the answer code's safety-words secret, if it carried one. */
  | { readonly type: 'accept-answer'; readonly answerSdp: string; readonly peerSecret?: Uint8Array }
  // The safety words compared by the person (docs/safety-words.md).
  | { readonly type: 'sas-match' }
  | { readonly type: 'sas-differ' }
  | { readonly type: 'send-chat'; readonly text: string }
  | { readonly type: 'hangup' }
  | { readonly type: 'reset' }
  // Calls.
  | { readonly type: 'call-start'; readonly video: boolean }
  | { readonly type: 'call-accept' }
  | { readonly type: 'call-decline' }
  | { readonly type: 'call-end' }
  | { readonly type: 'call-mic'; readonly on: boolean }
  | { readonly type: 'call-cam'; readonly on: boolean }
  | { readonly type: 'call-switch-camera' }
  // ICE restarts: in-band, or by reconnect codes carried by hand. With the connection gone, a reconnect code
  // is the offer of a new connection that carries the session on.
  | { readonly type: 'restart-ice' }
  | { readonly type: 'make-reconnect-code' }
  /** Either device, for a silent peer: a new connection instead of an ICE restart (the fallback). */
  | { readonly type: 'make-new-connection-code' }
  | { readonly type: 'accept-reconnect-offer'; readonly sdp: string }
  | { readonly type: 'accept-reconnect-answer'; readonly sdp: string }
  | { readonly type: 'drop-reconnect-code' };

/** Why an intent was refused: not possible in the current state, or chat text the protocol refuses. */
export type IntentError = { readonly kind: 'not-now'; readonly state: StateKind } | ChatTextError;

export interface SessionDeps extends RunnerDeps {
  /** Chat message ids; defaults to crypto.randomUUID. */
  readonly newId?: () => string;
  /** The safety words' secrets; defaults to crypto.getRandomValues. */
  readonly randomBytes?: (length: number) => Uint8Array;
  /** Aborting it disposes the session (same as dispose()). */
  readonly signal?: AbortSignal;
}

export interface Session {
  dispatch(intent: Intent): Result<void, IntentError>;
  /** Called after every state change (not immediately: read getState() for the current one). */
  subscribe(listener: (state: SessionState) => void): () => void;
  getState(): SessionState;
  /** For the app's `pagehide` listener: tells a connected peer we are leaving, before the page goes. */
  sendBye(): void;
  /** Releases the connection and timers and drops all listeners; later dispatches are refused. */
  dispose(): void;
  /** Another (negotiated) data channel on the live connection, or null when there is none. */
  openChannel(label: string, init: RTCDataChannelInit): DataChannelLike | null;
  /** The current call's local and remote streams (re-read when the state's live.mediaRev changes). */
  media(): MediaStreams;
  /** The live connection's remote SDP, or null. */
  remoteSdp(): string | null;
  stats(): Promise<ConnectionDetails | null>;
  /** New ICE servers/policy: for the next connection, and for the live one from its next ICE restart. */
  setConfiguration(config: RTCConfiguration): void;
}

export function createSession(deps: SessionDeps): Session {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const randomBytes = deps.randomBytes ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
  const listeners = new Set<(state: SessionState) => void>();
  const queue: SessionEvent[] = [];
  let state = INITIAL_STATE;
  let draining = false;
  let disposed = false;

  function notify(): void {
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch (error) {
        // One broken listener must not stop the session or the other listeners; surface it asynchronously.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  // Events raised while an event is being handled (by the runner or a listener) wait their turn, so every
  // event sees the state its predecessor produced.
  function feed(event: SessionEvent): void {
    if (disposed) return;
    queue.push(event);
    if (draining) return;
    draining = true;
    try {
      for (let next = queue.shift(); next !== undefined && !disposed; next = queue.shift()) {
        const transition = reduce(state, next);
        const changed = transition.state !== state;
        state = transition.state;
        for (const command of transition.commands) runner.execute(command);
        if (changed) notify();
      }
    } finally {
      draining = false;
    }
  }

  const runner = createRunner(deps, feed);

  function toEvent(intent: Intent): Result<SessionEvent, IntentError> {
    switch (intent.type) {
      case 'send-chat': {
        const checked = validateChatText(intent.text);
        return checked.ok ? ok({ type: 'send-chat', id: newId(), text: intent.text, at: now() }) : checked;
      }
      case 'accept-answer':
        return ok({
          type: 'accept-answer',
          answerSdp: intent.answerSdp,
          at: now(),
          ...(intent.peerSecret ? { peerSecret: intent.peerSecret } : {}),
        });
      case 'start':
        return ok({ type: 'start', secret: randomBytes(OFFER_SECRET_LENGTH) });
      case 'join':
        // A resumed session keeps its words: no new secret (session/sas.ts).
        return ok(intent.resume ? intent : { ...intent, secret: randomBytes(ANSWER_SECRET_LENGTH) });
      case 'call-start':
        return ok({ type: 'call-start', id: newId(), video: intent.video });
      default:
        return ok(intent);
    }
  }

  function dispatch(intent: Intent): Result<void, IntentError> {
    if (disposed) return err({ kind: 'not-now', state: state.kind });
    const event = toEvent(intent);
    if (!event.ok) return event;
    // The reducer is pure, so asking it first costs nothing and tells the UI whether the intent applies.
    const preview = reduce(state, event.value);
    if (preview.state === state && preview.commands.length === 0)
      return err({ kind: 'not-now', state: state.kind });
    feed(event.value);
    return ok(undefined);
  }

  function dispose(): void {
    disposed = true;
    queue.length = 0;
    listeners.clear();
    runner.close();
  }
  if (deps.signal?.aborted === true) dispose();
  deps.signal?.addEventListener('abort', dispose, { once: true });

  return {
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getState: () => state,
    sendBye: () => runner.sendBye(),
    openChannel: (label, init) => runner.openChannel(label, init),
    media: () => runner.media(),
    remoteSdp: () => runner.remoteSdp(),
    stats: () => runner.stats(),
    setConfiguration: (config) => runner.setConfiguration(config),
    dispose,
  };
}
