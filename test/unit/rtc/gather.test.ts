import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GATHER_DEADLINE_NO_SERVER_MS,
  GATHER_DEADLINE_WITH_SERVER_MS,
  GATHER_QUIET_MS,
  GATHER_SERVER_GRACE_MS,
  type GatherPlan,
  gatherLocalDescription,
  planGathering,
} from '../../../src/rtc/base/gather.ts';
import { FakePeerConnection, OFFER_SDP } from './fake-rtc.ts';

const STUN: RTCConfiguration = { iceServers: [{ urls: 'stun:stun.example.org:3478' }] };
const STUN_AND_TURN: RTCConfiguration = {
  iceServers: [
    { urls: ['stun:stun.example.org'] },
    { urls: 'turns:turn.example.org', username: 'u', credential: 'c' },
  ],
};

/** Lets a test look at a promise's outcome without awaiting it. */
function track<T>(promise: Promise<T>) {
  const seen: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(seen, { settled: true, value }),
    (error: unknown) => Object.assign(seen, { settled: true, error }),
  );
  return seen;
}

function begin(
  config: RTCConfiguration,
  signal = new AbortController().signal,
  pc = new FakePeerConnection(config),
) {
  const plan: GatherPlan = planGathering(config);
  const result = track(
    gatherLocalDescription(pc, async () => pc.setLocalDescription(await pc.createOffer()), plan, signal),
  );
  return { pc, result };
}

/** Still open one ms before the quiet period ends, settled and tidy at its end. */
async function endsAfterQuiet(result: { settled: boolean }): Promise<void> {
  await vi.advanceTimersByTimeAsync(GATHER_QUIET_MS - 1);
  expect(result.settled).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(result.settled).toBe(true);
  expect(vi.getTimerCount()).toBe(0);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('planGathering', () => {
  it('waits longer only when a server is configured, and for the candidate kinds servers produce', () => {
    expect(planGathering(undefined)).toEqual({
      deadlineMs: GATHER_DEADLINE_NO_SERVER_MS,
      quietMs: GATHER_QUIET_MS,
      required: new Set(),
      serverGraceMs: null,
    });
    expect(planGathering(STUN).deadlineMs).toBe(GATHER_DEADLINE_WITH_SERVER_MS);
    expect(planGathering(STUN).required).toEqual(new Set(['srflx']));
    expect(planGathering(STUN_AND_TURN).required).toEqual(new Set(['srflx', 'relay']));
    expect(planGathering({ ...STUN_AND_TURN, iceTransportPolicy: 'relay' }).required).toEqual(
      new Set(['relay']),
    );
    expect(planGathering({ iceServers: [{ urls: 'STUN:UPPER.example' }] }).required).toEqual(
      new Set(['srflx']),
    );
  });

  it('gives up on a silent STUN server soon after the host candidates, but never cuts a TURN allocation short', () => {
    expect(planGathering(STUN).serverGraceMs).toBe(GATHER_SERVER_GRACE_MS);
    expect(planGathering(STUN_AND_TURN).serverGraceMs).toBeNull();
    expect(planGathering({ ...STUN_AND_TURN, iceTransportPolicy: 'relay' }).serverGraceMs).toBeNull();
    expect(planGathering({}).serverGraceMs).toBeNull();
  });

  it('shows a code within 1.5 s without servers and within 3 s with them', () => {
    expect(GATHER_DEADLINE_NO_SERVER_MS).toBeLessThan(1_500);
    expect(GATHER_DEADLINE_WITH_SERVER_MS).toBeLessThan(3_000);
    // With the default STUN server unreachable: host candidates (measured within ~100 ms of the tap) plus the
    // grace must leave room to encode and draw the code inside 1.5 s.
    expect(GATHER_SERVER_GRACE_MS).toBeLessThanOrEqual(1_000);
  });
});

describe('gatherLocalDescription', () => {
  it('without servers, resolves at the deadline with whatever was gathered', async () => {
    const { result } = begin({});
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS - 1);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ settled: true, value: OFFER_SDP });
  });

  it('with an unreachable STUN server, stops waiting a grace period after the host candidates', async () => {
    const { pc, result } = begin(STUN);
    await vi.advanceTimersByTimeAsync(10);
    pc.emitCandidate('host');
    await vi.advanceTimersByTimeAsync(20);
    // A second interface's host candidate restarts the grace period.
    pc.emitCandidate('host', '192.0.2.11');
    await vi.advanceTimersByTimeAsync(GATHER_SERVER_GRACE_MS - 1);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.settled).toBe(true);
    expect(result.value).toContain('192.0.2.11');
    expect(vi.getTimerCount()).toBe(0);
    expect(pc.listenerCount()).toBe(0);
  });

  it('with an unreachable STUN server and no host candidate either, gives up at the deadline (not after 40 s)', async () => {
    const { result } = begin(STUN);
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_WITH_SERVER_MS - 1);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ settled: true, value: OFFER_SDP });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a STUN answer inside the grace period hands over to the quiet period (the grace does not cut it short)', async () => {
    const { pc, result } = begin(STUN);
    await vi.advanceTimersByTimeAsync(10);
    pc.emitCandidate('host');
    await vi.advanceTimersByTimeAsync(GATHER_SERVER_GRACE_MS - 10);
    pc.emitCandidate('srflx', '203.0.113.7');
    await vi.advanceTimersByTimeAsync(20); // past where the grace would have ended
    expect(result.settled).toBe(false);
    // A late host candidate (after the server answered) restarts only the quiet period.
    pc.emitCandidate('host', '192.0.2.11');
    await endsAfterQuiet(result);
    expect(result.value).toContain('203.0.113.7');
  });

  it('with a TURN server configured, host candidates alone do not end gathering before the deadline', async () => {
    const { pc, result } = begin(STUN_AND_TURN);
    await vi.advanceTimersByTimeAsync(10);
    pc.emitCandidate('host');
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_WITH_SERVER_MS - 11);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves as soon as the browser reports gathering complete', async () => {
    const { pc, result } = begin(STUN);
    await vi.advanceTimersByTimeAsync(5);
    pc.emitCandidate('host');
    pc.emitCandidate('srflx', '203.0.113.7');
    pc.completeGathering();
    await vi.advanceTimersByTimeAsync(0);
    expect(result.settled).toBe(true);
    expect(result.value).toContain('203.0.113.7');
    expect(pc.listenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves on the end-of-candidates marker', async () => {
    const { pc, result } = begin({});
    await vi.advanceTimersByTimeAsync(5);
    pc.emitCandidate('host');
    pc.emitEndOfCandidates();
    await vi.advanceTimersByTimeAsync(0);
    expect(result.settled).toBe(true);
  });

  it('ends early after a quiet period once every configured server kind produced a candidate', async () => {
    const { pc, result } = begin(STUN_AND_TURN);
    await vi.advanceTimersByTimeAsync(5);
    pc.emitCandidate('host');
    await vi.advanceTimersByTimeAsync(100);
    pc.emitCandidate('srflx');
    // Still missing a relay candidate: no early end.
    await vi.advanceTimersByTimeAsync(GATHER_QUIET_MS * 2);
    expect(result.settled).toBe(false);
    pc.emitCandidate('relay');
    await vi.advanceTimersByTimeAsync(GATHER_QUIET_MS - 1);
    expect(result.settled).toBe(false);
    // Another candidate restarts the quiet period.
    pc.emitCandidate('host', '192.0.2.11');
    await endsAfterQuiet(result);
    expect(result.value).toContain('typ relay');
  });

  it('without servers, a host candidate and a quiet period are enough', async () => {
    const { pc, result } = begin({});
    await vi.advanceTimersByTimeAsync(5);
    pc.emitCandidate('host');
    await vi.advanceTimersByTimeAsync(GATHER_QUIET_MS);
    expect(result.settled).toBe(true);
  });

  it('counts the deadline from the start, even when setLocalDescription is slow', async () => {
    const pc = new FakePeerConnection({}, { setLocalDelayMs: GATHER_DEADLINE_NO_SERVER_MS + 300 });
    const { result } = begin({}, undefined, pc);
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS + 299);
    expect(result.settled).toBe(false); // no local description yet to put in a code
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ settled: true, value: OFFER_SDP });
  });

  it('aborts: rejects with the signal’s reason and leaves no listener or timer behind', async () => {
    const controller = new AbortController();
    const { pc, result } = begin(STUN, controller.signal);
    await vi.advanceTimersByTimeAsync(100);
    pc.emitCandidate('host');
    controller.abort(new DOMException('person left', 'AbortError'));
    await vi.advanceTimersByTimeAsync(0);
    expect(result.settled).toBe(true);
    expect(result.error).toBeInstanceOf(DOMException);
    expect((result.error as DOMException).name).toBe('AbortError');
    expect(pc.listenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts while setLocalDescription is still pending', async () => {
    const controller = new AbortController();
    const pc = new FakePeerConnection({}, { setLocalDelayMs: 5_000 });
    const { result } = begin({}, controller.signal, pc);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(result.settled).toBe(true);
    expect((result.error as DOMException).name).toBe('AbortError');
    expect(pc.listenerCount()).toBe(0);
  });

  it('refuses to start with an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const { pc, result } = begin({}, controller.signal);
    await vi.advanceTimersByTimeAsync(0);
    expect((result.error as DOMException).name).toBe('AbortError');
    expect(pc.calls).toEqual([]);
  });

  it('passes on a failure to set the local description and cleans up', async () => {
    const pc = new FakePeerConnection({});
    const failure = new DOMException('refused', 'OperationError');
    const result = track(
      gatherLocalDescription(
        pc,
        () => Promise.reject(failure),
        planGathering({}),
        new AbortController().signal,
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(result.error).toBe(failure);
    expect(pc.listenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
