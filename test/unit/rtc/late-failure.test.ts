import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../../src/rtc/model/types.ts';
import { LATE_ANSWER_MS, reduce } from '../../../src/rtc/session/session.ts';

// A late answer that never connects leads to a fresh exchange; a prompt one is a network problem and says so.
// A passing 'failed' does not decide: Chromium reports one for a few ms before connecting to a late Firefox answer.
const offerReady: SessionState = { kind: 'offer-ready', sdp: 'OFFER', createdAt: 0 };

function outcome(answerAt: number): SessionState {
  const connecting = reduce(offerReady, { type: 'accept-answer', answerSdp: 'ANSWER', at: answerAt }).state;
  const blip = reduce(connecting, {
    type: 'connection-state',
    state: 'failed',
    ice: 'disconnected',
    at: answerAt,
  });
  expect(blip.state).toBe(connecting);
  return reduce(blip.state, { type: 'timer', id: 'connect-deadline' }).state;
}

describe('an offerer whose connection does not come up after applying the answer', () => {
  it('offers a fresh exchange when the answer came late', () => {
    const s = outcome(LATE_ANSWER_MS + 1);
    expect(s.kind === 'failed' && s.reason).toBe('late-answer-expired');
  });
  it('reports a network failure when the answer came promptly', () => {
    const s = outcome(LATE_ANSWER_MS - 1);
    expect(s.kind === 'failed' && s.reason).toBe('ice-failed');
  });
});
