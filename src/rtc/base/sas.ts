// The safety words' derivation (docs/safety-words.md): commit–then–reveal as ZRTP (RFC 6189 §4.4.1.1) and Matrix
// verification do it, so a device in the middle gets one guess at the words instead of a search. Pure: this file
// only builds the bytes to hash and reads the digests; the runner hashes (WebCrypto SHA-256, runner/digest.ts),
// so the first load carries no hash library and the reducer stays pure.

import { fingerprintsOf } from './sdp.ts';

/** The offerer's secret: revealed in-band after the channel opens, committed to in its code. */
export const OFFER_SECRET_LENGTH = 16;
/**
 * The answerer's secret, carried in its code. 64 bits: a middle that guessed it before fixing its own offer
 * would win, so it must be far less guessable than the words (36 bits).
 */
export const ANSWER_SECRET_LENGTH = 8;
/**
 * The commitment in the offer code: a truncated hash. 4 bytes keep a one-candidate offer within QR version 5 at
 * ECC M; why that is enough is in docs/safety-words.md (a search costs ~2^(32 + 36) hashes).
 */
export const COMMIT_LENGTH = 4;
/** Six symbols of a 64-entry list: 36 bits, so one guess in the middle succeeds 1 time in 68 billion. */
export const SAS_SYMBOLS = 6;
export const SAS_SYMBOL_BITS = 6;

// Domain tags: these hashes can never be confused with each other or with any other use of SHA-256.
const COMMIT_TAG = new TextEncoder().encode('pigeon-sas-commit-v1');
const WORDS_TAG = new TextEncoder().encode('pigeon-sas-words-v1');

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A variable-length input with its length in front (u16), so no two input lists hash the same bytes. */
const framed = (bytes: Uint8Array): Uint8Array =>
  concat([Uint8Array.of(bytes.length >> 8, bytes.length & 0xff), bytes]);

/** What is hashed for the commitment to the offerer's secret. */
export const commitInput = (offerSecret: Uint8Array): Uint8Array => concat([COMMIT_TAG, offerSecret]);

/** The commitment: the first COMMIT_LENGTH bytes of SHA-256(commitInput). */
export const commitOf = (digest: Uint8Array): Uint8Array => digest.slice(0, COMMIT_LENGTH);

/** Equal bytes, compared in time independent of where they differ. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export interface SasInputs {
  /** The DTLS fingerprints as applied (certificateOf): the offerer's, the answerer's. */
  readonly offerFingerprint: string;
  readonly answerFingerprint: string;
  readonly offerSecret: Uint8Array;
  readonly answerSecret: Uint8Array;
}

/** What is hashed for the words: tag, both fingerprints (offerer's first), both secrets, each length-framed. */
export function wordsInput(i: SasInputs): Uint8Array {
  const text = new TextEncoder();
  return concat([
    WORDS_TAG,
    framed(text.encode(i.offerFingerprint)),
    framed(text.encode(i.answerFingerprint)),
    framed(i.offerSecret),
    framed(i.answerSecret),
  ]);
}

/** The symbols both devices show, from SHA-256(wordsInput): SAS_SYMBOLS indices in 0..63 (the UI names them). */
export function symbolsOf(digest: Uint8Array): number[] {
  const out: number[] = [];
  for (let s = 0; s < SAS_SYMBOLS; s++) {
    let value = 0;
    for (let b = 0; b < SAS_SYMBOL_BITS; b++) {
      const bit = s * SAS_SYMBOL_BITS + b;
      value = (value << 1) | (((digest[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
    }
    out.push(value);
  }
  return out;
}

/**
 * A description's certificate as the session follows it: every `a=fingerprint` (sdp.ts fingerprintsOf, sorted,
 * one way of writing), joined; null when it names none.
 */
export function certificateOf(sdp: string): string | null {
  const all = fingerprintsOf(sdp);
  return all.length === 0 ? null : all.join(' ');
}

export const toHex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function fromHex(s: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})*$/.test(s)) return null;
  return Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}
