// Reconnect codes at the app layer: the restart offer / answer a live session shows when nothing can be carried,
// and recognising a code read in as belonging to THIS session (same DTLS certificate fingerprint as the peer's
// last description) rather than a new connection. Codes go through the same codec (compact when possible).
// A device whose connection is gone makes a new connection's offer instead, marked `resume`; its fingerprint
// is the same because every connection of a session uses one certificate (rtc/runner/runner.ts).

import {
  type Code,
  type CodecError,
  decodeInput,
  encodeDescription,
  type Result,
  type SignalType,
} from '../codec/index.ts';
import { sessionIdentity } from '../codec/sdp.ts';
import {
  heldConnection,
  type Intent,
  KEEPALIVE_INTERVAL_MS,
  type NegState,
  type SessionState,
} from '../rtc/index.ts';
import { reconnectTag, tagged } from './reconnect-tag.ts';

/**
 * The peer answered one of ours this recently: both directions carry, so the peer hears this device and needs
 * no reconnect code. Two keep-alive rounds, well inside the peer's silence limit (PEER_SILENCE_MS), past which
 * a device with no answers makes one.
 */
export const ANSWERED_RECENTLY_MS = 2 * KEEPALIVE_INTERVAL_MS;

/**
 * A reconnect code read now could only be a stale one or a forged one: a session's certificate fingerprint,
 * which recognises its codes, is public in its earlier codes. Not taken as this session's (the person is asked
 * as for any other code).
 */
export const carriesBothWays = (s: SessionState, now: number): boolean =>
  s.kind === 'connected' && s.answeredAt !== undefined && now - s.answeredAt < ANSWERED_RECENTLY_MS;

/** The negotiation state of a live or resumable session, or null. */
export const negOf = (s: SessionState): NegState | null => heldConnection(s)?.live.neg ?? null;

/** A session whose connection is gone but which a new one can carry on (lost, or being carried on already). */
export function carriedOn(s: SessionState): boolean {
  switch (s.kind) {
    case 'closed':
      return s.resume === undefined && s.reason === 'connection-lost';
    case 'gathering':
    case 'offer-ready':
    case 'answer-ready':
    case 'connecting':
      return s.chat !== undefined;
    default:
      return false;
  }
}

export const fingerprintOf = (sdp: string | null): string | null =>
  sdp === null ? null : (sessionIdentity(sdp)?.fingerprint ?? null);

const ORIGIN = /^o=(\S+) (\d+) (\d+) (.*?)\r?$/m;

/**
 * The compact codec writes a generic o= line; a browser may refuse a re-offer whose origin differs from the
 * session it has. Give the decoded description the current remote origin with the next version.
 */
export function withOrigin(sdp: string, remoteSdp: string | null): string {
  const current = remoteSdp === null ? null : ORIGIN.exec(remoteSdp);
  if (current === null) return sdp;
  const [, user, id, version, rest] = current;
  const next = `o=${user} ${id} ${BigInt(version ?? '0') + 1n} ${rest}`;
  return sdp.replace(/^o=.*$/m, next.endsWith('\r') ? next.slice(0, -1) : next);
}

/**
 * The code to show for the session's reconnect step; `offerSdp` binds an answer to its offer; `key` (the
 * session's words digest, rtc reconnectKey) tags an offer so the peer knows it is this session's.
 */
export function reconnectCode(
  neg: NegState | null,
  offerSdp: string | null,
  key: Uint8Array | 'pending' | null,
): Result<Code, CodecError> | null {
  const code = neg?.code ?? null;
  if (code === null) return null;
  const type: SignalType = code.kind;
  if (type === 'answer') {
    if (offerSdp === null) return null;
    return encodeDescription({ type, sdp: code.sdp }, { offerSdp });
  }
  const sas = key instanceof Uint8Array ? reconnectTag(key) : null;
  return encodeDescription({ type, sdp: code.sdp }, sas === null ? {} : { sas });
}

export type ReconnectInput =
  /** `offerSdp`: the peer's offer our answer code must be bound to (a restart offer or a new connection's). */
  | { readonly kind: 'intent'; readonly intent: Intent; readonly offerSdp: string | null }
  | { readonly kind: 'error'; readonly error: CodecError }
  /** Not this session's code: handle it as a new connection. */
  | { readonly kind: 'other' };

/**
 * A code read in while a session is live, resumable or lost: the answer to our reconnect offer, or the peer's
 * reconnect offer (recognised by its tag, made from `key`, the session's words digest, and by its certificate).
 * `ourOffer` is the reconnect offer this device shows; `connected`: this device still holds its connection (an
 * ICE restart can bring it back). Without a key (the words were never shown) the certificate alone recognises.
 */
export function takeReconnectInput(
  text: string,
  ourOffer: string | null,
  remoteSdp: string | null,
  connected: boolean,
  key: Uint8Array | 'pending' | null,
): ReconnectInput {
  if (ourOffer !== null) {
    const answer = decodeInput(text, { expect: 'answer', offerSdp: ourOffer });
    if (answer.ok) {
      const sdp = withOrigin(answer.value.sdp, remoteSdp);
      return { kind: 'intent', intent: { type: 'accept-reconnect-answer', sdp }, offerSdp: null };
    }
    if (answer.error.kind !== 'unexpected-type') return { kind: 'error', error: answer.error };
  }
  const offer = decodeInput(text, { expect: 'offer' });
  if (!offer.ok) {
    // Without a connection, an answer is the one to this device's new offer: the caller's to take.
    if (!connected && offer.error.kind === 'unexpected-type') return { kind: 'other' };
    return { kind: 'error', error: offer.error };
  }
  // With a key, only an offer tagged with it is this session's: the certificate is public in earlier codes.
  // Without one, a first exchange's offer still tells itself apart: it carries its safety-words commitment,
  // which restart and carry-on offers of an unverifiable session never do (a device that keeps its certificate
  // between sessions makes every offer with the same fingerprint).
  // While the words are still being worked out (the key is coming, a moment after connecting), no offer is
  // this session's yet: one made from the public certificate would otherwise pass for it.
  if (key === 'pending') return { kind: 'other' };
  if (key !== null ? !tagged(key, offer.value.sas) : offer.value.sas !== undefined) return { kind: 'other' };
  const theirs = fingerprintOf(offer.value.sdp);
  if (theirs === null || theirs !== fingerprintOf(remoteSdp)) return { kind: 'other' };
  if (offer.value.resume === true) {
    const intent: Intent = { type: 'join', offerSdp: offer.value.sdp, resume: true };
    return { kind: 'intent', intent, offerSdp: offer.value.sdp };
  }
  // The peer's restart offer needs the connection this device no longer has: make a new one's offer instead,
  // for the peer to read.
  if (!connected) return { kind: 'intent', intent: { type: 'make-reconnect-code' }, offerSdp: null };
  const sdp = withOrigin(offer.value.sdp, remoteSdp);
  return { kind: 'intent', intent: { type: 'accept-reconnect-offer', sdp }, offerSdp: offer.value.sdp };
}
