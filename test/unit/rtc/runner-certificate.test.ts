// The app's certificate (one per device) goes into every connection of a session, moves included; without
// one, or when it fails, the session makes its own as before.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionEvent } from '../../../src/rtc/model/types.ts';
import { createRunner, type Runner } from '../../../src/rtc/runner/runner.ts';
import { createFakeRtc, OFFER_SDP } from './fake-rtc.ts';

const NOW = 1_700_000_000_000;
const DEVICE = { expires: NOW + 1, device: true } as unknown as RTCCertificate;
const OWN = { expires: NOW + 1, own: true } as unknown as RTCCertificate;

let rtc: ReturnType<typeof createFakeRtc>;
let runner: Runner;
let generated: number;

function setUp(certificate?: () => Promise<RTCCertificate | null>): void {
  rtc = createFakeRtc();
  generated = 0;
  const Native = Object.assign(rtc.RTCPeerConnection, {
    generateCertificate: async () => {
      generated++;
      return OWN;
    },
  });
  const events: SessionEvent[] = [];
  runner = createRunner(
    { RTCPeerConnection: Native, appVersion: '0.1.0', ...(certificate ? { certificate } : {}) },
    (e) => events.push(e),
  );
}

beforeEach(() => vi.useFakeTimers({ now: NOW }));
afterEach(() => {
  runner.close();
  vi.useRealTimers();
});

describe('runner: the device certificate', () => {
  it('is asked for once per session and used by each of its connections; none is generated', async () => {
    const asked = vi.fn(async () => DEVICE);
    setUp(asked);
    runner.execute({ type: 'create-offer' });
    await vi.advanceTimersByTimeAsync(0);
    runner.execute({ type: 'close' });
    runner.execute({ type: 'apply-offer-and-answer', offerSdp: OFFER_SDP });
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toHaveBeenCalledTimes(1);
    expect(generated).toBe(0);
    expect(rtc.instances.map((pc) => pc.config.certificates)).toEqual([[DEVICE], [DEVICE]]);
  });

  it('a store that gives none, or fails, leaves the session to make its own', async () => {
    for (const given of [async () => null, async () => Promise.reject(new Error('no IndexedDB'))]) {
      setUp(given);
      runner.execute({ type: 'create-offer' });
      await vi.advanceTimersByTimeAsync(0);
      expect(generated).toBe(1);
      expect(rtc.last().config.certificates).toEqual([OWN]);
      runner.close();
    }
  });

  it('without one, the session makes its own (as before)', async () => {
    setUp();
    runner.execute({ type: 'create-offer' });
    await vi.advanceTimersByTimeAsync(0);
    expect(generated).toBe(1);
    expect(rtc.last().config.certificates).toEqual([OWN]);
  });
});
