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
