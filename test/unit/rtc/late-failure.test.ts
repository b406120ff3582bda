import { describe, expect, it } from 'vitest';
import { LATE_ANSWER_MS, reduce } from '../../../src/rtc/session.ts';
import type { SessionState } from '../../../src/rtc/types.ts';

// A late answer that the browsers then refuse must lead to a fresh exchange; a prompt one that fails is a
// network problem and says so.
const offerReady: SessionState = { kind: 'offer-ready', sdp: 'OFFER', createdAt: 0 };

function failAfterAnswerAt(at: number): SessionState {
  const connecting = reduce(offerReady, { type: 'accept-answer', answerSdp: 'ANSWER', at }).state;
  return reduce(connecting, { type: 'connection-state', state: 'failed', ice: 'disconnected', at: at + 300 })
    .state;
}

describe('an offerer whose connection fails after applying the answer', () => {
  it('offers a fresh exchange when the answer came late', () => {
    const s = failAfterAnswerAt(LATE_ANSWER_MS + 1);
    expect(s.kind === 'failed' && s.reason).toBe('late-answer-expired');
  });
  it('reports a network failure when the answer came promptly', () => {
    const s = failAfterAnswerAt(LATE_ANSWER_MS - 1);
    expect(s.kind === 'failed' && s.reason).toBe('ice-failed');
  });
});
