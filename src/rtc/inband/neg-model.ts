// The negotiation's vocabulary (room inband/): its state, the events it takes and the commands it gives.
// The machine itself, and why it is built as it is, are in negotiation.ts.

import type { CandidateFields, CandMessage, DescMessage, RefusedMessage, RestartMessage } from './signal.ts';

/** Which side of the first exchange this device is: the offerer (Start) or the answerer (Join, polite). */
export type Role = 'offerer' | 'answerer';

/** How long both sides hold their own offers after an ICE restart (measured: see negotiation.ts). */
export const RESTART_SETTLE_MS = 3_000;

export type NegPhase =
  | 'stable'
  /** The runner is creating our offer (createOffer + setLocalDescription). */
  | 'making-offer'
  /** Our offer is on the wire; waiting for the answer. */
  | 'offer-sent'
  | 'applying-answer'
  /** Applying the peer's offer and making our answer. */
  | 'answering'
  /** Making a reconnect code (restart offer, gathered non-trickle), then showing it. */
  | 'code-offer'
  /** Answering a reconnect code. */
  | 'code-answer';

export interface NegState {
  readonly polite: boolean;
  readonly phase: NegPhase;
  /** 'wanted': restart once stable; 'in-offer': the offer on the wire restarts ICE. */
  readonly restart: 'no' | 'wanted' | 'in-offer';
  /** A change was asked for while busy: offer again once stable. */
  readonly again: boolean;
  /** Impolite side ignoring a colliding offer: its candidates are dropped too. */
  readonly ignoring: boolean;
  /** A restart has just been exchanged: our offers wait, new restart requests are folded into it. */
  readonly settling: boolean;
  /**
   * Our candidates gathered while our description is still being made: sent right after it, never before
   * (the peer would file them under the previous ICE session).
   */
  readonly held: readonly CandMessage[];
  readonly gen: number;
  /** The peer's candidates handed to the browser in this ICE generation (at most MAX_REMOTE_CANDIDATES). */
  readonly remoteCands: number;
  /** The reconnect code this device shows (our restart offer, or our answer to the peer's), or null. */
  readonly code: { readonly kind: 'offer' | 'answer'; readonly sdp: string } | null;
}

export const negotiationFor = (role: Role): NegState => ({
  polite: role === 'answerer',
  phase: 'stable',
  restart: 'no',
  again: false,
  ignoring: false,
  settling: false,
  held: [],
  gen: 0,
  remoteCands: 0,
  code: null,
});

export type NegStep = 'offer' | 'answer' | 'apply-answer' | 'code-offer' | 'code-answer';

export type NegEvent =
  /** The browser's negotiationneeded: tracks or directions changed. */
  | { readonly type: 'negotiation-needed' }
  | { readonly type: 'restart-ice' }
  /** RESTART_SETTLE_MS after a restart: our own offers may go again. */
  | { readonly type: 'restart-settled' }
  | { readonly type: 'local-offer'; readonly sdp: string }
  | { readonly type: 'local-answer'; readonly sdp: string }
  | { readonly type: 'answer-applied' }
  | { readonly type: 'negotiation-failed'; readonly step: NegStep; readonly detail: string }
  /** The peer's description named another certificate: not applied; the session ends (session.ts). */
  | { readonly type: 'certificate-changed' }
  | ({ readonly type: 'local-candidate' } & CandidateFields)
  | { readonly type: 'signal'; readonly message: InbandSignal }
  // Reconnect codes.
  | { readonly type: 'make-reconnect-code' }
  | { readonly type: 'reconnect-offer'; readonly sdp: string }
  | { readonly type: 'accept-reconnect-offer'; readonly sdp: string }
  | { readonly type: 'reconnect-answer'; readonly sdp: string }
  | { readonly type: 'accept-reconnect-answer'; readonly sdp: string }
  | { readonly type: 'drop-reconnect-code' };

export type InbandSignal = DescMessage | CandMessage | RestartMessage | RefusedMessage;

export type NegCommand =
  /** The peer refused our offer: roll it back (the browser returns to stable). */
  | { readonly type: 'abandon-offer' }
  /** Roll back if not stable, then createOffer({iceRestart}) + setLocalDescription. */
  | { readonly type: 'make-offer'; readonly iceRestart: boolean }
  /** Roll back our offer if there is one, setRemoteDescription(offer), then answer. */
  | { readonly type: 'answer-offer'; readonly sdp: string }
  | { readonly type: 'apply-remote-answer'; readonly sdp: string }
  | ({ readonly type: 'add-candidate' } & CandidateFields)
  /** Like make-offer with iceRestart, but gathered non-trickle for a code. */
  | { readonly type: 'make-reconnect-offer' }
  /** Like answer-offer, gathered non-trickle for a code. */
  | { readonly type: 'answer-reconnect-offer'; readonly sdp: string }
  | { readonly type: 'send-signal'; readonly message: InbandSignal }
  | { readonly type: 'start-timer'; readonly id: 'restart-settle'; readonly ms: number };

export interface NegTransition {
  readonly state: NegState;
  readonly commands: readonly NegCommand[];
}
