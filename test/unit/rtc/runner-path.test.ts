// The runner's share of the check after an ICE restart: 'check-path' reads the live connection's stats and
// reports what carries it (link/check.ts judges the entries), dropping the answer of a connection since released.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GATHER_DEADLINE_NO_SERVER_MS } from '../../../src/rtc/base/gather.ts';
import { ufragOf } from '../../../src/rtc/link/check.ts';
import type { SessionEvent } from '../../../src/rtc/model/types.ts';
import { createRunner, type Runner } from '../../../src/rtc/runner/runner.ts';
import { createFakeRtc, type FakePeerConnection } from './fake-rtc.ts';

let rtc: ReturnType<typeof createFakeRtc>;
let events: SessionEvent[];
let runner: Runner;

beforeEach(() => {
  vi.useFakeTimers();
  rtc = createFakeRtc();
  events = [];
  runner = createRunner({ RTCPeerConnection: rtc.RTCPeerConnection, appVersion: '0.1.0' }, (e) =>
    events.push(e),
  );
});
afterEach(() => {
  runner.close();
  vi.useRealTimers();
});

async function offerer(): Promise<FakePeerConnection> {
  runner.execute({ type: 'create-offer' });
  await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
  events.length = 0;
  return rtc.last();
}

const pathEvents = () => events.filter((e) => e.type === 'path-checked');

function pairWithLocalUfrag(ufrag: string): unknown[] {
  return [
    { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
    { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R' },
    { id: 'L', type: 'local-candidate', usernameFragment: ufrag },
    { id: 'R', type: 'remote-candidate' },
  ];
}

describe('runner: what carries the connection', () => {
  it('reads the selected pair against the live descriptions', async () => {
    const pc = await offerer();
    const own = ufragOf(pc.localDescription?.sdp) ?? '';
    expect(own).not.toBe('');
    pc.stats = pairWithLocalUfrag(own);
    runner.execute({ type: 'check-path' });
    await vi.advanceTimersByTimeAsync(0);
    pc.stats = pairWithLocalUfrag(`${own}old`);
    runner.execute({ type: 'check-path' });
    await vi.advanceTimersByTimeAsync(0);
    pc.stats = [];
    runner.execute({ type: 'check-path' });
    await vi.advanceTimersByTimeAsync(0);
    expect(pathEvents()).toEqual([
      { type: 'path-checked', path: 'current' },
      { type: 'path-checked', path: 'stale' },
      { type: 'path-checked', path: 'none' },
    ]);
  });

  it('stats that cannot be read are no pair; a released connection reports nothing', async () => {
    const pc = await offerer();
    pc.getStats = () => Promise.reject(new Error('closed'));
    runner.execute({ type: 'check-path' });
    await vi.advanceTimersByTimeAsync(0);
    expect(pathEvents()).toEqual([{ type: 'path-checked', path: 'none' }]);
    events.length = 0;
    runner.execute({ type: 'check-path' });
    runner.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(pathEvents()).toEqual([]);
  });
});
