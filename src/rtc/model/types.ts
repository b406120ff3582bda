// Room model/: the session's vocabulary (this file) and the chat log it carries; below every reducer.
//
// The session's vocabulary: states the UI renders, events that drive the reducer, commands the runner executes.
// All plain data, so the reducer stays pure and every transition can be tested without a browser.

import type { CallCommand, CallEvent, CallState, CarriedCall, MediaChanged } from '../call/call.ts';
import type { ControlError, ControlMessage, OutgoingMessage } from '../inband/control.ts';
import type { NegCommand, NegEvent, NegState, Role } from '../inband/neg-model.ts';
import type { ChatLog } from './chat.ts';
import type { ChatAllowance } from './chat-rate.ts';
import type { DigestPurpose, Fingerprints, PriorSas, SasSecrets, SasState, Verified } from './trust.ts';

export type { DigestPurpose, Fingerprints, PriorSas, SasSecrets, SasState, Verified } from './trust.ts';

export type CloseReason =
  | 'local-hangup'
  | 'remote-hangup'
  /** Nothing heard from the peer for PEER_SILENCE_MS. */
  | 'peer-gone'
  /** The connection or channel dropped without a bye. */
  | 'connection-lost'
  /** The peer refused to go on with a session that had begun (bye 'rejected'; before that it is a FailReason). */
  | 'remote-rejected'
  /** The peer's in-band description named another DTLS certificate (not applied; inband.ts). */
  | 'certificate-changed'
  /** A person said the safety words differ, here or on the other device: someone may be in the middle. */
  | 'words-differ'
  /** The offerer's revealed secret did not match its code's commitment (answerer), or the peer said so. */
  | 'reveal-refused';

export type FailReason =
  | 'gather-failed'
  /** The offer could not be applied (setRemoteDescription refused it). */
  | 'bad-offer'
  /** The answer could not be applied. */
  | 'bad-answer'
  | 'ice-failed'
  | 'dtls-failed'
  /** The offerer applied the answer but was not connected LATE_ANSWER_DEADLINE_MS later: redo the exchange. */
  | 'late-answer-expired'
  /** The answerer's transport connected but the data channel never opened. */
  | 'channel-failed'
  | 'remote-rejected';

export interface PeerInfo {
  readonly app: string;
  readonly features: readonly string[];
  /** The peer's device name from its hello (display text), if it sent one. */
  readonly name?: string;
}

/** 'unstable' from ICE 'disconnected' or 'failed'; 'down' once the peer has answered nothing for PEER_SILENCE_MS. */
export type LinkState = 'up' | 'unstable' | 'down';

/**
 * What carries the connection after an ICE restart, read from getStats (link/check.ts): 'current' when the
 * selected candidate pair uses this ICE generation on both sides, 'stale' when either candidate is of an older
 * one, 'none' without a selected pair.
 */
export type PathVerdict = 'current' | 'stale' | 'none';

/** A move to a new connection in progress (session/move.ts). */
export interface MoveState {
  readonly id: string;
  /** 'offering': our new connection's offer; 'answering': the peer's. */
  readonly side: 'offering' | 'answering';
}

/** Everything after the first exchange: negotiation, call, link health (link/live.ts steps it). */
export interface LiveState {
  readonly neg: NegState;
  readonly call: CallState;
  readonly link: LinkState;
  /** Bumped when local or remote media changed, so the UI re-reads the streams. */
  readonly mediaRev: number;
  /** How many ICE restarts this session asked for (in-band or by code), for the details panel. */
  readonly restarts: number;
  /** The connection's state as last reported. */
  readonly conn: RTCPeerConnectionState;
  /** Restarts (or moves) made again in a row because the last one did not come up clean (link/check.ts). */
  readonly retries: number;
  /** Path checks made since the last ICE restart was exchanged; null when no restart is under check. */
  readonly checks: number | null;
  /** Heard from the peer since the last restart was exchanged (a ping goes out then; its pong proves the path). */
  readonly heard: boolean;
  /** A call the lost connection had, armed for its one re-invite on this connection (call.ts carryOn). */
  readonly resumeCall: CarriedCall | null;
  /**
   * A call has been set up on this connection, so its descriptions carry audio/video sections: an ICE restart
   * offer would then be a ~1,700-character code, and a reconnect code is a new connection's offer instead.
   */
  readonly media: boolean;
  readonly move: MoveState | null;
  /** A move has just switched: restart requests are folded into it (session/move.ts MOVE_SETTLE_MS). */
  readonly moveSettling: boolean;
}

/**
 * A session carried on by a new connection (its old one is gone) keeps its chat through the exchange; the
 * states before 'connected' hold it here. Absent for a first connection.
 */
export interface Carried {
  readonly chat?: ChatLog;
  /** The safety words' inputs of this exchange (absent: unverifiable). */
  readonly sas?: SasSecrets;
  /** A session carried on: its words and fingerprints (the new connection must present the same). */
  readonly prior?: PriorSas;
  /** The call that was going on when the connection was lost: the new connection makes it again. */
  readonly lostCall?: CarriedCall;
}

export type SessionState =
  | { readonly kind: 'idle' }
  | ({ readonly kind: 'gathering'; readonly role: Role } & Carried)
  /** The offerer shows its offer code and waits for the answer code. */
  | ({ readonly kind: 'offer-ready'; readonly sdp: string; readonly createdAt: number } & Carried)
  /** The joiner shows its answer code and waits for the offerer to apply it. */
  | ({ readonly kind: 'answer-ready'; readonly sdp: string; readonly createdAt: number } & Carried)
  | ({
      readonly kind: 'connecting';
      readonly role: Role;
      readonly since: number;
      /** Offerer: how long after making the offer the answer was applied. */
      readonly answerLateBy?: number;
    } & Carried)
  | {
      readonly kind: 'connected';
      readonly role: Role;
      readonly since: number;
      /** null until the peer's hello arrives. */
      readonly peer: PeerInfo | null;
      readonly chat: ChatLog;
      /** Everything after the first exchange: negotiation, call, link health (live.ts). */
      readonly live: LiveState;
      /** The safety words (model/trust.ts). */
      readonly sas: SasState;
      /** The certificates this session was made with (the peer's: `remote`); null if unknown. */
      readonly fingerprints: Fingerprints | null;
      /** Set once this device's person confirmed the safety words match. */
      readonly verified: Verified | null;
      /** The peer's chat allowance (chat-rate.ts); absent until its first message. */
      readonly chatAllowance?: ChatAllowance;
      /** Messages from the peer were dropped for coming too fast (shown until 'chat-limited' fires). */
      readonly chatLimited?: true;
      /** When the peer last answered one of our messages (pong, ack): then both directions carried. */
      readonly answeredAt?: number;
    }
  /**
   * The chat stays readable after the call ends. A peer that went silent ('peer-gone') leaves the connection
   * held in `resume`: a reconnect code (or the peer simply being heard again) brings the session back.
   */
  | {
      readonly kind: 'closed';
      readonly reason: CloseReason;
      readonly chat: ChatLog;
      readonly resume?: Resume;
      /** 'connection-lost' during a call (see Carried). */
      readonly lostCall?: CarriedCall;
      /** A lost session's verification, for the connection that carries it on. */
      readonly prior?: PriorSas;
    }
  | { readonly kind: 'failed'; readonly role: Role; readonly reason: FailReason; readonly detail: string };

export type StateKind = SessionState['kind'];

/** What a silent peer's session keeps for resuming: the connected state without its chat. */
export interface Resume {
  readonly role: Role;
  readonly since: number;
  readonly peer: PeerInfo | null;
  readonly live: LiveState;
  readonly sas: SasState;
  readonly fingerprints: Fingerprints | null;
  readonly verified: Verified | null;
}

/** Which effect failed, as reported by the runner. */
export type EffectOp = 'gather' | 'apply-offer' | 'apply-answer';

export type SessionEvent =
  // Intents, stamped by the session with ids and times so the reducer needs no clock.
  /** secret: the offerer's random secret (OFFER_SECRET_LENGTH bytes; absent: no safety words). */
  | { readonly type: 'start'; readonly secret?: Uint8Array }
  /**
   * resume: the peer's offer carries this session on over a new connection (this device's chat is kept).
   * commit: the offer code's commitment (absent: unverifiable); secret: ours, for the answer code.
   */
  | {
      readonly type: 'join';
      readonly offerSdp: string;
      readonly resume?: boolean;
      readonly commit?: Uint8Array;
      readonly secret?: Uint8Array;
    }
  /** peerSecret: the answerer's secret its code carried (absent: unverifiable). */
  | {
      readonly type: 'accept-answer';
      readonly answerSdp: string;
      readonly at: number;
      readonly peerSecret?: Uint8Array;
    }
  /** The person compared the safety words: they match, or they differ (which ends the session). */
  | { readonly type: 'sas-match' }
  | { readonly type: 'sas-differ' }
  | { readonly type: 'send-chat'; readonly id: string; readonly text: string; readonly at: number }
  | { readonly type: 'hangup' }
  | { readonly type: 'reset' }
  /** A new connection's code for a silent or lost session, whichever device (see session.ts). */
  | { readonly type: 'make-new-connection-code' }
  // Effect results from the runner.
  | { readonly type: 'gathered'; readonly sdp: string; readonly at: number }
  /** SHA-256 of `data` (the command's, echoed so a stale result is told apart), null where WebCrypto is missing. */
  | {
      readonly type: 'digested';
      readonly purpose: DigestPurpose;
      readonly data: Uint8Array;
      readonly digest: Uint8Array | null;
    }
  | { readonly type: 'effect-failed'; readonly op: EffectOp; readonly detail: string }
  | {
      readonly type: 'connection-state';
      readonly state: RTCPeerConnectionState;
      readonly ice: RTCIceConnectionState;
      readonly at: number;
    }
  | { readonly type: 'channel-open'; readonly at: number }
  | { readonly type: 'channel-closed' }
  | { readonly type: 'message'; readonly message: ControlMessage; readonly at: number }
  /** The peer sent something we refused: it still proves the peer is there. */
  | { readonly type: 'message-invalid'; readonly error: ControlError }
  // A move to a new connection (move.ts): its description is gathered, it opened (the runner switched), or failed.
  | { readonly type: 'move-made'; readonly kind: 'offer' | 'answer'; readonly sdp: string }
  | { readonly type: 'moved'; readonly at: number }
  | { readonly type: 'move-failed'; readonly detail: string }
  | { readonly type: 'timer'; readonly id: TimerId }
  /** The runner read what carries the connection after an ICE restart (the answer to 'check-path'). */
  | { readonly type: 'path-checked'; readonly path: PathVerdict }
  // In-band negotiation, calls, and the runner saying the local or remote media changed.
  | NegEvent
  | CallEvent
  | MediaChanged;

export type EventType = SessionEvent['type'];

export type TimerId =
  /** Offerer: from applying the answer; answerer: from transport connected. Until the channel opens. */
  | 'connect-deadline'
  /** Next ping. */
  | 'keepalive'
  /** Restarted by every message from the peer; firing means the peer is gone. */
  | 'silence'
  /** From ICE 'disconnected': if it has not recovered by itself when this fires, restart ICE. */
  | 'restart'
  /** After an ICE restart: our own offers wait until it fires (negotiation.ts, RESTART_SETTLE_MS). */
  | 'restart-settle'
  /** After an ICE restart that has not come up clean yet: look at what carries it again (link/check.ts). */
  | 'path-check'
  /** A move to a new connection that has not switched by then is dropped (move.ts). */
  | 'move-deadline'
  /** After a move: restart requests are folded into it until this fires. */
  | 'move-settle'
  /** The "sending too fast" notice goes when this fires (chat-rate.ts). */
  | 'chat-limited';

export type Command =
  | { readonly type: 'create-offer' }
  | { readonly type: 'apply-offer-and-answer'; readonly offerSdp: string }
  | { readonly type: 'apply-answer'; readonly answerSdp: string }
  /** The runner builds hello itself: it knows the app version. */
  | { readonly type: 'send-hello' }
  | { readonly type: 'send'; readonly message: OutgoingMessage }
  /** Closes the channel and the connection; idempotent. */
  | { readonly type: 'close' }
  /** Starting a timer that is already running restarts it. */
  | { readonly type: 'start-timer'; readonly id: TimerId; readonly ms: number }
  | { readonly type: 'cancel-timer'; readonly id: TimerId }
  /** Read the selected candidate pair (getStats) and report 'path-checked'. */
  | { readonly type: 'check-path' }
  // A move (move.ts): a second connection beside the live one, switched to when its channel opens.
  | { readonly type: 'move-offer' }
  | { readonly type: 'move-answer'; readonly offerSdp: string }
  | { readonly type: 'move-apply-answer'; readonly answerSdp: string }
  | { readonly type: 'move-drop' }
  /** SHA-256 of data, reported as 'digested' (runner/digest.ts): the reducer never hashes. */
  | { readonly type: 'digest'; readonly purpose: DigestPurpose; readonly data: Uint8Array }
  | NegCommand
  | CallCommand;

export interface Transition {
  readonly state: SessionState;
  readonly commands: readonly Command[];
}
