import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GATHER_DEADLINE_NO_SERVER_MS } from '../../../src/rtc/base/gather.ts';
import { pinOfferRole } from '../../../src/rtc/base/sdp.ts';
import { FEATURES, PING } from '../../../src/rtc/inband/control.ts';
import type { SessionEvent } from '../../../src/rtc/model/types.ts';
import { CHANNEL_LABEL, CLOSE_GRACE_MS, FLUSH_BEFORE_CLOSE_MS } from '../../../src/rtc/runner/attempt.ts';
import { createRunner, type Runner } from '../../../src/rtc/runner/runner.ts';
import { createFakeRtc, type FakePeerConnection, OFFER_SDP, PASSIVE_ANSWER_SDP } from './fake-rtc.ts';

const NOW = 1_700_000_000_000;

let rtc: ReturnType<typeof createFakeRtc>;
let events: SessionEvent[];
let runner: Runner;

function setUp(options: Parameters<typeof createFakeRtc>[0] = {}, config: RTCConfiguration = {}): void {
  rtc = createFakeRtc(options);
  events = [];
  runner = createRunner({ RTCPeerConnection: rtc.RTCPeerConnection, config, appVersion: '0.1.0' }, (event) =>
    events.push(event),
  );
}

/** An offerer whose offer is gathered, with its channel open (as if connected). */
async function connectedOfferer(): Promise<FakePeerConnection> {
  runner.execute({ type: 'create-offer' });
  await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
  const pc = rtc.last();
  pc.setConnectionState('connected');
  pc.channel.open();
  events.length = 0;
  return pc;
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  setUp();
});
afterEach(() => {
  runner.close();
  vi.useRealTimers();
});

describe('runner: making codes', () => {
  it('create-offer: one connection, the negotiated channel, then the gathered offer at the deadline', async () => {
    setUp({}, { iceServers: [] });
    runner.execute({ type: 'create-offer' });
    const pc = rtc.last();
    expect(rtc.instances).toHaveLength(1);
    expect(pc.config).toEqual({ iceServers: [] });
    expect(pc.channel.label).toBe(CHANNEL_LABEL);
    expect(pc.channel.init).toEqual({ negotiated: true, id: 0, ordered: true });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS - 1);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(pc.calls).toEqual(['createDataChannel', 'createOffer', 'setLocalDescription:offer']);
    expect(events).toEqual([{ type: 'gathered', sdp: OFFER_SDP, at: NOW + GATHER_DEADLINE_NO_SERVER_MS }]);
  });

  it('apply-offer-and-answer: pins the offer active, so the browser’s own answer is passive (no local edit)', async () => {
    runner.execute({ type: 'apply-offer-and-answer', offerSdp: OFFER_SDP });
    await vi.advanceTimersByTimeAsync(0);
    const pc = rtc.last();
    pc.emitCandidate('host');
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    expect(pc.calls).toEqual([
      'createDataChannel',
      'setRemoteDescription:offer',
      'createAnswer',
      'setLocalDescription:answer',
    ]);
    // The offer is pinned active before the browser sees it; the local answer is the browser's own, passive.
    expect(pc.remoteDescription?.sdp).toContain('a=setup:active');
    const applied = pc.localSet[0]?.sdp ?? '';
    expect(applied).toBe(PASSIVE_ANSWER_SDP);
    const gathered = events.find((event) => event.type === 'gathered');
    expect(gathered?.type === 'gathered' && gathered.sdp).toContain('a=setup:passive');
    expect(gathered?.type === 'gathered' && gathered.sdp).toContain('typ host');
  });

  it('reports an offer the browser refuses as apply-offer, and closes nothing it did not open', async () => {
    runner.execute({ type: 'apply-offer-and-answer', offerSdp: 'not sdp' });
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([{ type: 'effect-failed', op: 'apply-offer', detail: 'OperationError: bad sdp' }]);
  });

  it('reports a failure to create the offer as gather', async () => {
    setUp({ failCreateOffer: true });
    runner.execute({ type: 'create-offer' });
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([
      { type: 'effect-failed', op: 'gather', detail: 'OperationError: cannot create offer' },
    ]);
  });

  it('apply-answer: sets the remote answer, and reports refusal or a missing connection', async () => {
    runner.execute({ type: 'apply-answer', answerSdp: 'v=0\r\n' });
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([
      { type: 'effect-failed', op: 'apply-answer', detail: 'Error: no connection to apply the answer to' },
    ]);
    runner.execute({ type: 'create-offer' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    events.length = 0;
    runner.execute({ type: 'apply-answer', answerSdp: 'v=0\r\na=setup:passive\r\n' });
    await vi.advanceTimersByTimeAsync(0);
    expect(rtc.last().remoteDescription).toEqual({ type: 'answer', sdp: 'v=0\r\na=setup:passive\r\n' });
    expect(events).toEqual([]);
    runner.execute({ type: 'apply-answer', answerSdp: 'garbage' });
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([
      { type: 'effect-failed', op: 'apply-answer', detail: 'OperationError: bad sdp' },
    ]);
  });

  it('a new exchange releases the previous connection and drops its late results', async () => {
    runner.execute({ type: 'create-offer' });
    const first = rtc.last();
    runner.execute({ type: 'apply-offer-and-answer', offerSdp: OFFER_SDP });
    expect(first.closeCalls).toBe(1);
    expect(first.listenerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    expect(events.filter((event) => event.type === 'gathered')).toHaveLength(1);
    expect(events.every((event) => event.type !== 'effect-failed')).toBe(true);
  });
});

describe('runner: connection and channel', () => {
  it('turns browser events into session events', async () => {
    const pc = await connectedOfferer();
    pc.setConnectionState('failed', 'connected');
    pc.channel.receive('{"v":1,"t":"ping"}');
    pc.channel.receive('<script>');
    pc.channel.receive(new ArrayBuffer(2));
    expect(events).toEqual([
      { type: 'connection-state', state: 'failed', ice: 'connected', at: NOW + GATHER_DEADLINE_NO_SERVER_MS },
      { type: 'message', message: PING, at: NOW + GATHER_DEADLINE_NO_SERVER_MS },
      { type: 'message-invalid', error: { kind: 'not-json' } },
      { type: 'message-invalid', error: { kind: 'not-text' } },
    ]);
  });

  it('reports the channel opening and closing', async () => {
    runner.execute({ type: 'create-offer' });
    const pc = rtc.last();
    pc.channel.open();
    pc.channel.finishClose();
    expect(events).toEqual([{ type: 'channel-open', at: NOW }, { type: 'channel-closed' }]);
  });

  it('sends on an open channel only, and hello carries the app version and features', async () => {
    runner.execute({ type: 'send', message: PING }); // no connection: dropped
    runner.execute({ type: 'create-offer' });
    runner.execute({ type: 'send', message: PING }); // channel not open yet: dropped
    const pc = rtc.last();
    pc.channel.open();
    runner.execute({ type: 'send-hello' });
    runner.execute({ type: 'send', message: PING });
    expect(pc.channel.sentMessages()).toEqual([
      { v: 1, t: 'hello', app: '0.1.0', features: [...FEATURES] },
      { v: 1, t: 'ping' },
    ]);
  });

  it("a runner given its features announces those, and keeps of the peer's hello only the shared ones", async () => {
    rtc = createFakeRtc();
    runner = createRunner(
      { RTCPeerConnection: rtc.RTCPeerConnection, appVersion: 'cli', features: ['chat', 'ack'] },
      (event) => events.push(event),
    );
    const pc = await connectedOfferer();
    runner.execute({ type: 'send-hello' });
    expect(pc.channel.sentMessages()).toEqual([{ v: 1, t: 'hello', app: 'cli', features: ['chat', 'ack'] }]);
    pc.channel.receive(JSON.stringify({ v: 1, t: 'hello', app: '0.1.0', features: [...FEATURES] }));
    expect(events).toEqual([
      {
        type: 'message',
        message: { v: 1, t: 'hello', app: '0.1.0', features: ['chat', 'ack'] },
        at: NOW + GATHER_DEADLINE_NO_SERVER_MS,
      },
    ]);
  });

  it("a runner given this device's name announces it in hello, and passes on the peer's", async () => {
    rtc = createFakeRtc();
    runner = createRunner(
      { RTCPeerConnection: rtc.RTCPeerConnection, appVersion: '0.1.0', name: 'Firefox on Linux' },
      (event) => events.push(event),
    );
    const pc = await connectedOfferer();
    runner.execute({ type: 'send-hello' });
    expect(pc.channel.sentMessages()).toEqual([
      { v: 1, t: 'hello', app: '0.1.0', features: [...FEATURES], name: 'Firefox on Linux' },
    ]);
    pc.channel.receive(JSON.stringify({ v: 1, t: 'hello', app: 'x', features: [], name: 'Pixel\u202E 8' }));
    expect(events).toMatchObject([{ type: 'message', message: { t: 'hello', name: 'Pixel 8' } }]);
  });

  it('sendBye tells a connected peer we are leaving, and is harmless otherwise', async () => {
    runner.sendBye();
    const pc = await connectedOfferer();
    runner.sendBye();
    expect(pc.channel.sentMessages()).toEqual([{ v: 1, t: 'bye', reason: 'page-closed' }]);
  });
});

describe('runner: timers', () => {
  it('fires, restarts and cancels named timers', async () => {
    runner.execute({ type: 'start-timer', id: 'keepalive', ms: 1_000 });
    await vi.advanceTimersByTimeAsync(999);
    runner.execute({ type: 'start-timer', id: 'keepalive', ms: 1_000 }); // restart
    runner.execute({ type: 'start-timer', id: 'silence', ms: 500 });
    runner.execute({ type: 'cancel-timer', id: 'silence' });
    await vi.advanceTimersByTimeAsync(999);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual([{ type: 'timer', id: 'keepalive' }]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('runner: close', () => {
  it('releases everything: listeners, timers, channel, connection; and is idempotent', async () => {
    const pc = await connectedOfferer();
    runner.execute({ type: 'start-timer', id: 'silence', ms: 15_000 });
    runner.execute({ type: 'send', message: PING });
    runner.close();
    expect(pc.listenerCount()).toBe(0);
    // The queued message gets a moment; then the channel closes, and the connection follows.
    expect(pc.channel.closeCalls).toBe(0);
    expect(pc.closeCalls).toBe(0);
    await vi.advanceTimersByTimeAsync(FLUSH_BEFORE_CLOSE_MS);
    expect(pc.channel.closeCalls).toBe(1);
    expect(pc.channel.readyState).toBe('closed');
    expect(pc.closeCalls).toBe(1);
    expect(pc.channel.listenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    runner.close();
    runner.execute({ type: 'close' });
    await vi.advanceTimersByTimeAsync(CLOSE_GRACE_MS);
    expect(pc.closeCalls).toBe(1);
    expect(pc.channel.closeCalls).toBe(1);
    // Nothing the dead connection does reaches the session any more.
    pc.setConnectionState('failed');
    expect(events).toEqual([]);
  });

  it('closes the connection after a grace period when the channel never finishes closing', async () => {
    const pc = await connectedOfferer();
    pc.channel.stallClose = true;
    runner.execute({ type: 'close' });
    await vi.advanceTimersByTimeAsync(FLUSH_BEFORE_CLOSE_MS + CLOSE_GRACE_MS - 1);
    expect(pc.closeCalls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pc.closeCalls).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(pc.channel.listenerCount()).toBe(0);
  });

  it('while gathering: aborts it, closes at once, and reports nothing', async () => {
    runner.execute({ type: 'create-offer' });
    await vi.advanceTimersByTimeAsync(100);
    const pc = rtc.last();
    runner.execute({ type: 'close' });
    expect(pc.closeCalls).toBe(1);
    expect(pc.listenerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS * 2);
    expect(events).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('runner: one certificate per session', () => {
  /** A constructor whose browser can make certificates; counts how many it made. */
  function withCertificates() {
    const made: RTCCertificate[] = [];
    const Native = Object.assign(rtc.RTCPeerConnection, {
      generateCertificate: async (keygen: AlgorithmIdentifier) => {
        expect(keygen).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
        const cert = { expires: NOW + 1 } as unknown as RTCCertificate;
        made.push(cert);
        return cert;
      },
    });
    events = [];
    runner = createRunner(
      { RTCPeerConnection: Native, config: { iceServers: [] }, appVersion: '0.1.0' },
      (e) => events.push(e),
    );
    return made;
  }

  it('every connection of the session uses the same certificate, made once', async () => {
    const made = withCertificates();
    runner.execute({ type: 'create-offer' });
    await vi.advanceTimersByTimeAsync(0);
    runner.execute({ type: 'close' });
    runner.execute({ type: 'apply-offer-and-answer', offerSdp: OFFER_SDP });
    await vi.advanceTimersByTimeAsync(0);
    expect(made).toHaveLength(1);
    expect(rtc.instances.map((pc) => pc.config)).toEqual([
      { iceServers: [], certificates: made },
      { iceServers: [], certificates: made },
    ]);
  });

  it('a close while the certificate is being made opens nothing', async () => {
    withCertificates();
    runner.execute({ type: 'create-offer' });
    runner.execute({ type: 'close' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    expect(rtc.instances).toHaveLength(0);
    expect(events).toEqual([]);
  });

  it("the peer's description outlives its connection, to recognise the peer's reconnect code", async () => {
    expect(runner.remoteSdp()).toBeNull();
    runner.execute({ type: 'apply-offer-and-answer', offerSdp: OFFER_SDP });
    await vi.advanceTimersByTimeAsync(0);
    const applied = pinOfferRole(OFFER_SDP, 'passive');
    expect(runner.remoteSdp()).toBe(applied);
    runner.execute({ type: 'close' });
    expect(rtc.last().closeCalls).toBe(1);
    expect(runner.remoteSdp()).toBe(applied);
  });
});
