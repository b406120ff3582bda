// An in-band link's exchange (src/app/group/exchange.ts): what each end sends for its session's state, and what
// a relayed body asks of its session. The SDP goes through untouched.
import { describe, expect, it } from 'vitest';
import {
  bodyToSend,
  closedReason,
  envelopeFor,
  FIRST_ATTEMPT,
  received,
} from '../../../../src/app/group/exchange.ts';
import { encodeBody, parseBody, parseGroup } from '../../../../src/group/index.ts';
import type { SessionState } from '../../../../src/rtc/index.ts';
import { id } from '../../group/sim.ts';

const A = id('a');
const B = id('b');
/** An SDP with a character outside ASCII (a session name): the body escapes it, the end gets it back as it was. */
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=Pigeon é\r\nt=0 0\r\n';
const offerReady = { kind: 'offer-ready', sdp: SDP, createdAt: 1 } as SessionState;
const answerReady = { kind: 'answer-ready', sdp: SDP, createdAt: 1 } as SessionState;

describe('in-band exchange', () => {
  it('the offerer sends its offer once made, the answerer its answer; nothing in other states', () => {
    expect(bodyToSend(offerReady, 'offerer', FIRST_ATTEMPT)).toEqual({ k: 'offer', a: '1', sdp: SDP });
    expect(bodyToSend(answerReady, 'answerer', '7')).toEqual({ k: 'answer', a: '7', sdp: SDP });
    expect(bodyToSend(answerReady, 'offerer', '1')).toBeNull();
    expect(bodyToSend(offerReady, 'answerer', '1')).toBeNull();
    expect(bodyToSend({ kind: 'idle' }, 'offerer', '1')).toBeNull();
  });

  it('the safety words go as a code carries them: the offer with its commitment (once hashed), the answer with its secret', () => {
    const commit = Uint8Array.from([1, 2, 3, 0xfe]);
    const secret = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 0xab]);
    const sas = (own: Uint8Array, c: Uint8Array | null) => ({
      own,
      commit: c,
      peer: null,
      offerFp: null,
      answerFp: null,
    });
    const offering = (c: Uint8Array | null) =>
      ({ ...offerReady, sas: sas(new Uint8Array(16), c) }) as SessionState;
    // The commitment is still being hashed: nothing goes yet (the next state sends it).
    expect(bodyToSend(offering(null), 'offerer', '1')).toBeNull();
    const offer = bodyToSend(offering(commit), 'offerer', '1');
    expect(offer).toEqual({ k: 'offer', a: '1', sdp: SDP, commit: '010203fe' });
    const answering = { ...answerReady, sas: sas(secret, commit) } as SessionState;
    const answer = bodyToSend(answering, 'answerer', '1');
    expect(answer).toEqual({ k: 'answer', a: '1', sdp: SDP, secret: '09080706050403ab' });
    // And each end's session gets them as from a code: the join the commitment, the answer the secret.
    const joined = received(encodeBody(offer ?? { k: 'end', a: '1', reason: '' }) ?? '', 'answerer', null);
    expect(joined).toEqual({ kind: 'intent', intent: { type: 'join', offerSdp: SDP, commit }, attempt: '1' });
    const applied = received(encodeBody(answer ?? { k: 'end', a: '1', reason: '' }) ?? '', 'offerer', '1');
    expect(applied).toEqual({
      kind: 'intent',
      intent: { type: 'accept-answer', answerSdp: SDP, peerSecret: secret },
      attempt: '1',
    });
    // A field of the wrong length is not a commitment: the link fails.
    expect(
      received(
        encodeBody({ k: 'offer', a: '1', sdp: SDP, commit: '09080706050403ab' }) ?? '',
        'answerer',
        null,
      ),
    ).toEqual({ kind: 'fail' });
  });

  it('the envelope is addressed from us to the peer and its body gives back the exact SDP', () => {
    const text = envelopeFor(A, B, { k: 'offer', a: '1', sdp: SDP });
    expect(text).not.toBeNull();
    const parsed = parseGroup(text);
    if (!parsed.ok || parsed.value.t !== 'relay') throw new Error('not a relay envelope');
    expect([parsed.value.envelope.from, parsed.value.envelope.to]).toEqual([A, B]);
    const body = parseBody(parsed.value.envelope.body);
    expect(body.ok && body.value.k === 'offer' && body.value.sdp).toBe(SDP);
  });

  it('an SDP too large for a body makes no envelope', () => {
    expect(envelopeFor(A, B, { k: 'offer', a: '1', sdp: 'a'.repeat(40_000) })).toBeNull();
  });

  it('the answerer joins the offer, taking its attempt; the offerer applies the answer of its own attempt', () => {
    const offer = encodeBody({ k: 'offer', a: '3', sdp: SDP }) ?? '';
    expect(received(offer, 'answerer', null)).toEqual({
      kind: 'intent',
      intent: { type: 'join', offerSdp: SDP },
      attempt: '3',
    });
    const answer = encodeBody({ k: 'answer', a: '1', sdp: SDP }) ?? '';
    expect(received(answer, 'offerer', '1')).toEqual({
      kind: 'intent',
      intent: { type: 'accept-answer', answerSdp: SDP },
      attempt: '1',
    });
  });

  it("an old attempt's body is ignored; a body that is not this end's to take fails the link", () => {
    const oldAnswer = encodeBody({ k: 'answer', a: '1', sdp: SDP }) ?? '';
    expect(received(oldAnswer, 'offerer', '2')).toEqual({ kind: 'ignore' });
    const offer = encodeBody({ k: 'offer', a: '1', sdp: SDP }) ?? '';
    expect(received(offer, 'offerer', '1')).toEqual({ kind: 'fail' });
    expect(received(offer, 'answerer', '1')).toEqual({ kind: 'fail' });
    expect(received(oldAnswer, 'answerer', '1')).toEqual({ kind: 'fail' });
    expect(received(encodeBody({ k: 'end', a: '1', reason: 'x' }) ?? '', 'offerer', '1')).toEqual({
      kind: 'fail',
    });
    expect(received('{not json', 'answerer', null)).toEqual({ kind: 'fail' });
  });

  it('a trickled candidate (reserved) is ignored', () => {
    expect(received(encodeBody({ k: 'cand', a: '1', c: '' }) ?? '', 'offerer', '1')).toEqual({
      kind: 'ignore',
    });
  });

  it('a bye (either way) is leaving; any other end is vanishing', () => {
    const closed = (reason: string) => ({ kind: 'closed', reason, chat: [] }) as unknown as SessionState;
    expect(closedReason(closed('remote-hangup'))).toBe('left');
    expect(closedReason(closed('local-hangup'))).toBe('left');
    expect(closedReason(closed('peer-gone'))).toBe('vanished');
    expect(closedReason(closed('connection-lost'))).toBe('vanished');
  });
});
