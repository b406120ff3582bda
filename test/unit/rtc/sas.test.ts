// The safety words (docs/safety-words.md): the derivation against node:crypto, and the reducer's commit–reveal
// steps, with this file standing in for the runner (it hashes each 'digest' command and feeds the result back).
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAS_FIELD_LENGTH } from '../../../src/codec/frame.ts';
import {
  ANSWER_SECRET_LENGTH,
  COMMIT_LENGTH,
  commitInput,
  sameBytes,
  symbolsOf,
  wordsInput,
} from '../../../src/rtc/base/sas.ts';
import { byeMessage } from '../../../src/rtc/inband/control.ts';
import { moveMessage } from '../../../src/rtc/inband/signal.ts';
import { revealMessage, VERIFIED } from '../../../src/rtc/inband/verify.ts';
import type { Command, SessionEvent, SessionState } from '../../../src/rtc/model/types.ts';
import { runDigest } from '../../../src/rtc/runner/digest.ts';
import { reduce } from '../../../src/rtc/session/session.ts';

const AT = 5_000;
const FP_A = `${'AA:'.repeat(31)}AA`;
const FP_B = `${'BB:'.repeat(31)}BB`;
const FP_M = `${'CC:'.repeat(31)}CC`;
const sdp = (fp: string) =>
  `v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:sha-256 ${fp}\r\n`;
const OFFER_SECRET = Uint8Array.from({ length: 16 }, (_, i) => i);
const ANSWER_SECRET = Uint8Array.from({ length: 8 }, (_, i) => 0xf0 + i);

const sha = (...parts: (string | Uint8Array)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

type Hasher = ((data: Uint8Array) => Uint8Array | null) | 'hold';

/**
 * Events through the reducer; every 'digest' command is hashed at once and its result fed back, as the runner
 * does (`hash` null: no WebCrypto; 'hold': results are kept back and returned as `held`).
 */
function run(
  state: SessionState,
  events: SessionEvent[],
  hash: Hasher = (d) => sha(d),
): { state: SessionState; commands: Command[]; held: SessionEvent[] } {
  const commands: Command[] = [];
  const held: SessionEvent[] = [];
  const queue = [...events];
  for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
    const t = reduce(state, e);
    state = t.state;
    commands.push(...t.commands);
    // Hashing is quick: its results come back before the next event.
    const results: SessionEvent[] = t.commands.flatMap((c) =>
      c.type === 'digest'
        ? [
            {
              type: 'digested',
              purpose: c.purpose,
              data: c.data,
              digest: hash === 'hold' ? sha(c.data) : hash(c.data),
            } as const,
          ]
        : [],
    );
    if (hash === 'hold') held.push(...results);
    else queue.unshift(...results);
  }
  return { state, commands, held };
}

describe('the derivation (fixed vectors)', () => {
  it('the commitment: the first 4 bytes of SHA-256(tag || secret)', () => {
    const digest = sha(commitInput(OFFER_SECRET));
    expect(hex(digest)).toBe(hex(sha('pigeon-sas-commit-v1', OFFER_SECRET)));
    expect(hex(digest.slice(0, 4))).toBe('505fa42a');
  });
  it('the symbols: six 6-bit values from SHA-256(tag, fingerprints offerer then answerer, both secrets)', () => {
    const offerFingerprint = `sha-256 ${FP_A}`;
    const answerFingerprint = `sha-256 ${FP_B}`;
    const input = {
      offerFingerprint,
      answerFingerprint,
      offerSecret: OFFER_SECRET,
      answerSecret: ANSWER_SECRET,
    };
    const d = sha(
      'pigeon-sas-words-v1',
      u16(offerFingerprint.length),
      offerFingerprint,
      u16(answerFingerprint.length),
      answerFingerprint,
      u16(16),
      OFFER_SECRET,
      u16(8),
      ANSWER_SECRET,
    );
    expect(hex(sha(wordsInput(input)))).toBe(hex(d));
    const bits = [...d.slice(0, 5)].map((b) => b.toString(2).padStart(8, '0')).join('');
    const expected = Array.from({ length: 6 }, (_, i) => Number.parseInt(bits.slice(i * 6, i * 6 + 6), 2));
    const got = symbolsOf(d);
    expect(got).toEqual(expected);
    expect(got).toEqual([56, 59, 17, 28, 26, 6]);
    // Every input counts: the fingerprints swapped, or one secret bit changed, give other symbols.
    const swapped = { ...input, offerFingerprint: answerFingerprint, answerFingerprint: offerFingerprint };
    expect(symbolsOf(sha(wordsInput(swapped)))).not.toEqual(got);
    const flipped = Uint8Array.from(ANSWER_SECRET);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(symbolsOf(sha(wordsInput({ ...input, answerSecret: flipped })))).not.toEqual(got);
  });
  it("the lengths match the code's field (codec/frame.ts)", () => {
    expect(COMMIT_LENGTH).toBe(SAS_FIELD_LENGTH.offer);
    expect(ANSWER_SECRET_LENGTH).toBe(SAS_FIELD_LENGTH.answer);
  });
  it('sameBytes: equal only for the same length and bytes', () => {
    expect(sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1))).toBe(false);
  });
});

describe('the runner hashes with WebCrypto', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('SHA-256 as node:crypto computes it, reported with the bytes it hashed', async () => {
    const data = commitInput(OFFER_SECRET);
    const events: SessionEvent[] = [];
    await runDigest({ type: 'digest', purpose: 'sas-commit', data }, (e) => events.push(e));
    expect(events).toEqual([{ type: 'digested', purpose: 'sas-commit', data, digest: sha(data) }]);
  });
  it('without WebCrypto (a plain-http page) the digest is null', async () => {
    vi.stubGlobal('crypto', {});
    const events: SessionEvent[] = [];
    await runDigest({ type: 'digest', purpose: 'sas-words', data: Uint8Array.of(1) }, (e) => events.push(e));
    expect(events).toMatchObject([{ type: 'digested', digest: null }]);
  });
});

const COMMIT = sha(commitInput(OFFER_SECRET)).slice(0, 4);

/** One side of a first exchange, up to the channel opening. */
function offerer(answerFp: string, peerSecret?: Uint8Array, hash?: Hasher) {
  return run(
    { kind: 'idle' },
    [
      { type: 'start', secret: OFFER_SECRET },
      { type: 'gathered', sdp: sdp(FP_A), at: AT },
      { type: 'accept-answer', answerSdp: sdp(answerFp), at: AT, ...(peerSecret ? { peerSecret } : {}) },
      { type: 'channel-open', at: AT },
    ],
    hash,
  );
}
function answerer(offerFp: string, commit: Uint8Array | undefined) {
  return run({ kind: 'idle' }, [
    { type: 'join', offerSdp: sdp(offerFp), secret: ANSWER_SECRET, ...(commit ? { commit } : {}) },
    { type: 'gathered', sdp: sdp(FP_B), at: AT },
    { type: 'channel-open', at: AT },
  ]);
}
const reveal = (secret: Uint8Array): SessionEvent => ({
  type: 'message',
  message: revealMessage(secret),
  at: AT,
});
const sasOf = (s: SessionState) => (s.kind === 'connected' ? s.sas : null);
const verifiedOf = (s: SessionState) => (s.kind === 'connected' ? s.verified : undefined);

describe('the safety words in the session', () => {
  it('the offer waits for its commitment: hashed by the runner, then carried by the offer-ready state', () => {
    const held = run({ kind: 'idle' }, [{ type: 'start', secret: OFFER_SECRET }], 'hold');
    expect(held.commands).toContainEqual({
      type: 'digest',
      purpose: 'sas-commit',
      data: commitInput(OFFER_SECRET),
    });
    const ready = run(held.state, [{ type: 'gathered', sdp: sdp(FP_A), at: AT }]).state;
    expect(ready.kind === 'offer-ready' && ready.sas?.commit).toBeNull();
    const [result] = held.held;
    if (!result) throw new Error('no digest');
    const committed = run(ready, [result]).state;
    expect(committed.kind === 'offer-ready' && committed.sas?.commit).toEqual(COMMIT);
    // A result for other bytes (a stale exchange's) is not taken.
    const stale = { ...result, data: commitInput(ANSWER_SECRET) };
    expect(run(ready, [stale]).state).toBe(ready);
  });
  it('honest pairing: the offerer reveals, the answerer checks, both show the same symbols', () => {
    const a = offerer(FP_B, ANSWER_SECRET);
    expect(a.commands).toContainEqual({ type: 'send', message: revealMessage(OFFER_SECRET) });
    const b = answerer(FP_A, COMMIT);
    expect(sasOf(b.state)).toMatchObject({ kind: 'waiting', revealed: null });
    const shown = run(b.state, [reveal(OFFER_SECRET)]);
    expect(shown.commands.filter((c) => c.type === 'digest').map((c) => c.purpose)).toEqual([
      'sas-check',
      'sas-words',
    ]);
    expect(sasOf(a.state)).toMatchObject({ kind: 'shown', remote: false });
    expect(sasOf(shown.state)).toEqual(sasOf(a.state));
    expect(verifiedOf(a.state)).toBeNull();
  });
  it('a wrong reveal is refused: the session ends, and the peer is told', () => {
    const b = answerer(FP_A, COMMIT);
    const wrong = Uint8Array.from(OFFER_SECRET);
    wrong[15] = (wrong[15] ?? 0) ^ 0x80;
    const r = run(b.state, [reveal(wrong)]);
    expect(r.state).toMatchObject({ kind: 'closed', reason: 'reveal-refused' });
    expect(r.commands).toContainEqual({ type: 'send', message: byeMessage('words-differ') });
    expect(r.commands.some((c) => c.type === 'digest' && c.purpose === 'sas-words')).toBe(false);
  });
  it('only the first reveal counts', () => {
    const b = answerer(FP_A, COMMIT);
    const shown = run(b.state, [reveal(OFFER_SECRET)]).state;
    expect(run(shown, [reveal(Uint8Array.from(OFFER_SECRET).fill(7))]).state).toBe(shown);
  });
  it('a device in the middle: each side derives from other certificates, so the symbols differ', () => {
    // A's peer is the middle's B' (certificate M); B's peer is the middle's A' (certificate M, its own secret).
    const a = offerer(FP_M, ANSWER_SECRET);
    const middleSecret = Uint8Array.from(OFFER_SECRET).reverse();
    const middleCommit = sha(commitInput(middleSecret)).slice(0, 4);
    const b = run(answerer(FP_M, middleCommit).state, [reveal(middleSecret)]);
    expect(sasOf(b.state)?.kind).toBe('shown');
    expect(sasOf(a.state)?.kind).toBe('shown');
    expect(sasOf(a.state)).not.toEqual(sasOf(b.state));
  });
  it('codes without the field, or no WebCrypto: not verifiable', () => {
    expect(sasOf(offerer(FP_B).state)).toEqual({ kind: 'unverifiable' });
    expect(sasOf(answerer(FP_A, undefined).state)).toEqual({ kind: 'unverifiable' });
    expect(sasOf(offerer(FP_B, ANSWER_SECRET, () => null).state)).toEqual({ kind: 'unverifiable' });
  });
  it('"They match" marks this side verified by its person and tells the peer; the peer\'s word is shown apart', () => {
    const a = offerer(FP_B, ANSWER_SECRET);
    const matched = run(a.state, [{ type: 'sas-match' }]);
    expect(matched.commands).toContainEqual({ type: 'send', message: VERIFIED });
    expect(verifiedOf(matched.state)).toBe('by-person');
    expect(matched.state).toMatchObject({
      fingerprints: { local: `sha-256 ${FP_A}`, remote: `sha-256 ${FP_B}` },
    });
    const both = run(matched.state, [{ type: 'message', message: VERIFIED, at: AT }]);
    expect(sasOf(both.state)).toMatchObject({ kind: 'shown', remote: true });
    // The peer saying so verifies nothing here: a device in the middle can say it too.
    const told = run(a.state, [{ type: 'message', message: VERIFIED, at: AT }]).state;
    expect(verifiedOf(told)).toBeNull();
  });
  it('"They differ" ends the session here and there, with the warning', () => {
    const a = offerer(FP_B, ANSWER_SECRET);
    const r = run(a.state, [{ type: 'sas-differ' }]);
    expect(r.state).toMatchObject({ kind: 'closed', reason: 'words-differ' });
    expect(r.commands).toContainEqual({ type: 'send', message: byeMessage('words-differ') });
    const b = run(answerer(FP_A, COMMIT).state, [reveal(OFFER_SECRET)]);
    const told = run(b.state, [{ type: 'message', message: byeMessage('words-differ'), at: AT }]);
    expect(told.state).toMatchObject({ kind: 'closed', reason: 'words-differ' });
  });
  it('a new connection carrying a lost session on: same certificates keep its words, others stop it', () => {
    const a = run(offerer(FP_B, ANSWER_SECRET).state, [{ type: 'sas-match' }]);
    const lost = run(a.state, [
      { type: 'connection-state', state: 'failed', ice: 'connected', at: AT },
    ]).state;
    expect(lost).toMatchObject({ kind: 'closed', reason: 'connection-lost' });
    const carry = (answerFp: string) =>
      run(lost, [
        { type: 'make-reconnect-code' },
        { type: 'gathered', sdp: sdp(FP_A), at: AT },
        { type: 'accept-answer', answerSdp: sdp(answerFp), at: AT },
        { type: 'channel-open', at: AT },
      ]).state;
    const kept = carry(FP_B);
    expect(kept.kind).toBe('connected');
    expect(sasOf(kept)).toEqual(sasOf(a.state));
    expect(verifiedOf(kept)).toBe('by-person');
    expect(carry(FP_M)).toMatchObject({ kind: 'closed', reason: 'certificate-changed' });
  });
});

describe("a move to a new connection keeps the session's certificate", () => {
  const connectedB = () => run(answerer(FP_A, COMMIT).state, [reveal(OFFER_SECRET)]).state;
  const moveIn = (state: SessionState, kind: 'offer' | 'answer', fp: string) =>
    run(state, [{ type: 'message', message: moveMessage(kind, 'm1', sdp(fp)), at: AT }]);
  it("the peer's move offer with the same certificate is answered; with another, never applied", () => {
    const same = moveIn(connectedB(), 'offer', FP_A);
    expect(same.state.kind).toBe('connected');
    expect(same.commands).toContainEqual({ type: 'move-answer', offerSdp: sdp(FP_A) });
    const other = moveIn(connectedB(), 'offer', FP_M);
    expect(other.state).toMatchObject({ kind: 'closed', reason: 'certificate-changed' });
    expect(other.commands.some((c) => c.type === 'move-answer')).toBe(false);
  });
});
