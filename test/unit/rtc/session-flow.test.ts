// The public surface end to end: createSession → reducer → runner → fake RTCPeerConnection, two devices.
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  createSession,
  GATHER_DEADLINE_NO_SERVER_MS,
  KEEPALIVE_INTERVAL_MS,
  LATE_ANSWER_DEADLINE_MS,
  MAX_CHAT_CHARS,
  PEER_SILENCE_MS,
  type PeerConnectionConstructor,
  type Session,
} from '../../../src/rtc/index.ts';
import { CLOSE_GRACE_MS, FLUSH_BEFORE_CLOSE_MS } from '../../../src/rtc/runner/attempt.ts';
import { createFakeRtc, type FakePeerConnection, link } from './fake-rtc.ts';
import { type Devices, devices, sdpOf } from './pair.ts';

let rtc: ReturnType<typeof createFakeRtc>;
let kit: Devices;
let ids: number;

/** A device; chat ids are `id-N`, counted across both devices; `name`: its device name in hello. */
const device = (name?: string): Session => kit.device('device', name);
const exchange = (nameA?: string, nameB?: string) => kit.exchange(nameA, nameB);
const connectedPair = () => kit.connectedPair();

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  rtc = createFakeRtc();
  ids = 0;
  kit = devices(rtc, undefined, () => `id-${++ids}`);
});
afterEach(() => {
  kit.dispose();
  vi.useRealTimers();
});

describe('createSession', () => {
  it('accepts the browser’s RTCPeerConnection (checked by the type checker)', () => {
    expectTypeOf<typeof RTCPeerConnection>().toExtend<PeerConnectionConstructor>();
    expectTypeOf(rtc.RTCPeerConnection).toExtend<PeerConnectionConstructor>();
  });

  it('each device learns the other’s name from its hello; one without a name is known by its app', async () => {
    const { a, b, pcA, pcB } = await exchange('Pixel 8');
    link(pcA, pcB);
    await vi.advanceTimersByTimeAsync(0);
    const named = b.getState();
    expect(named.kind === 'connected' && named.peer).toEqual({
      app: '0.1.0',
      features: expect.any(Array),
      name: 'Pixel 8',
    });
    const unnamed = a.getState();
    expect(unnamed.kind === 'connected' && unnamed.peer).toEqual({
      app: '0.1.0',
      features: expect.any(Array),
    });
  });

  it('two devices exchange codes, connect, say hello and chat with delivery ticks', async () => {
    const { a, b, pcA, pcB } = await exchange();
    expect(a.getState()).toMatchObject({ kind: 'connecting', role: 'offerer' });
    expect(b.getState()).toMatchObject({ kind: 'answer-ready' });
    expect(sdpOf(b.getState())).toContain('a=setup:passive');
    expect(pcA.remoteDescription?.sdp).toContain('a=setup:passive');

    link(pcA, pcB);
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState()).toMatchObject({ kind: 'connected', role: 'offerer', peer: { app: '0.1.0' } });
    expect(b.getState()).toMatchObject({ kind: 'connected', role: 'answerer', peer: { app: '0.1.0' } });

    expect(a.dispatch({ type: 'send-chat', text: 'hello <b>B</b>' })).toEqual({ ok: true, value: undefined });
    const pending = a.getState();
    expect(pending.kind === 'connected' && pending.chat).toEqual([
      {
        from: 'me',
        id: 'id-1',
        text: 'hello <b>B</b>',
        ts: 1_000_000 + 2 * GATHER_DEADLINE_NO_SERVER_MS,
        status: 'pending',
      },
    ]);
    await vi.advanceTimersByTimeAsync(0);
    const sent = a.getState();
    const got = b.getState();
    expect(sent.kind === 'connected' && sent.chat[0]).toMatchObject({ status: 'delivered' });
    expect(got.kind === 'connected' && got.chat).toEqual([
      {
        from: 'peer',
        id: 'id-1',
        text: 'hello <b>B</b>',
        ts: expect.any(Number),
        receivedAt: expect.any(Number),
      },
    ]);
  });

  it('refuses intents that do not apply now, and chat text the protocol refuses, without changing state', async () => {
    const a = device();
    expect(a.dispatch({ type: 'accept-answer', answerSdp: 'v=0' })).toEqual({
      ok: false,
      error: { kind: 'not-now', state: 'idle' },
    });
    expect(a.dispatch({ type: 'send-chat', text: 'x'.repeat(MAX_CHAT_CHARS + 1) })).toEqual({
      ok: false,
      error: { kind: 'text-too-long', length: MAX_CHAT_CHARS + 1, max: MAX_CHAT_CHARS },
    });
    expect(a.dispatch({ type: 'send-chat', text: 'fine' })).toEqual({
      ok: false,
      error: { kind: 'not-now', state: 'idle' },
    });
    expect(a.getState()).toEqual({ kind: 'idle' });
  });

  it('notifies subscribers of each change until they unsubscribe', async () => {
    const a = device();
    const seen: string[] = [];
    // The offer's commitment comes back from WebCrypto during or after gathering: a change within a kind.
    const unsubscribe = a.subscribe((state) => {
      if (seen.at(-1) !== state.kind) seen.push(state.kind);
    });
    a.dispatch({ type: 'start' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    unsubscribe();
    a.dispatch({ type: 'hangup' });
    expect(seen).toEqual(['gathering', 'offer-ready']);
    expect(a.getState()).toMatchObject({ kind: 'closed', reason: 'local-hangup' });
  });
});

describe('late answers', () => {
  it('the offerer gives up 10 s after applying an answer that does not connect', async () => {
    const { a, pcA } = await exchange();
    await vi.advanceTimersByTimeAsync(LATE_ANSWER_DEADLINE_MS - 1);
    expect(a.getState().kind).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    // Taken in promptly, so it is a network failure (late-failure.test.ts covers late answers).
    expect(a.getState()).toMatchObject({ kind: 'failed', role: 'offerer', reason: 'ice-failed' });
    expect(pcA.closeCalls).toBe(1);
    // One tap: a fresh offer, on a fresh connection.
    expect(a.dispatch({ type: 'start' }).ok).toBe(true);
    expect(rtc.instances.length).toBe(3);
  });

  it('a late answer that connects in time is fine, however long the person took to carry it', async () => {
    const a = device();
    const b = device();
    a.dispatch({ type: 'start' });
    const pcA = rtc.last();
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    b.dispatch({ type: 'join', offerSdp: sdpOf(a.getState()) });
    const pcB = rtc.last();
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    await vi.advanceTimersByTimeAsync(15 * 60_000); // the answer travels for 15 minutes
    expect(b.getState().kind).toBe('answer-ready');
    a.dispatch({ type: 'accept-answer', answerSdp: sdpOf(b.getState()) });
    await vi.advanceTimersByTimeAsync(LATE_ANSWER_DEADLINE_MS / 2);
    link(pcA, pcB);
    await vi.advanceTimersByTimeAsync(LATE_ANSWER_DEADLINE_MS);
    expect(a.getState().kind).toBe('connected');
    expect(b.getState().kind).toBe('connected');
  });
});

describe('keep-alive', () => {
  it('pings every 5 s; a peer silent for PEER_SILENCE_MS is reported gone, but the connection is kept until it is heard again', async () => {
    const { a, pcA } = await exchange();
    pcA.setConnectionState('connected');
    pcA.channel.open(); // open, but nobody on the other end answers
    await vi.advanceTimersByTimeAsync(PEER_SILENCE_MS - 1);
    expect(a.getState().kind).toBe('connected');
    const pings = pcA.channel.sentMessages().filter((message) => message.t === 'ping');
    expect(pings).toHaveLength(Math.floor((PEER_SILENCE_MS - 1) / KEEPALIVE_INTERVAL_MS));
    await vi.advanceTimersByTimeAsync(1);
    // Nothing can be carried: reported, but resumable (the UI offers a reconnect code); still pinging.
    expect(a.getState()).toMatchObject({
      kind: 'closed',
      reason: 'peer-gone',
      resume: { live: { link: 'down' } },
    });
    expect(pcA.closeCalls).toBe(0);
    const pingsBefore = pcA.channel.sentMessages().filter((message) => message.t === 'ping').length;
    await vi.advanceTimersByTimeAsync(KEEPALIVE_INTERVAL_MS);
    expect(pcA.channel.sentMessages().filter((message) => message.t === 'ping').length).toBe(pingsBefore + 1);
    pcA.channel.receive('{"v":1,"t":"pong"}');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState()).toMatchObject({ kind: 'connected', live: { link: 'up' } });
    a.dispatch({ type: 'hangup' });
    await vi.advanceTimersByTimeAsync(CLOSE_GRACE_MS);
    expect(pcA.closeCalls).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stays connected for as long as the peer answers', async () => {
    const { a, b } = await connectedPair();
    await vi.advanceTimersByTimeAsync(10 * PEER_SILENCE_MS);
    expect(a.getState().kind).toBe('connected');
    expect(b.getState().kind).toBe('connected');
  });

  it("only answers to this device's messages keep the link: the peer's own, one way, do not", async () => {
    const { a, pcA } = await exchange();
    pcA.setConnectionState('connected');
    pcA.channel.open();
    // The peer's pings, chat and newer messages arrive, but nothing of ours is answered: one direction down.
    for (let t = 0; t < PEER_SILENCE_MS; t += KEEPALIVE_INTERVAL_MS / 2) {
      pcA.channel.receive('{"v":1,"t":"ping"}');
      pcA.channel.receive(`{"v":1,"t":"chat","id":"r${t}","text":"hi","ts":1}`);
      pcA.channel.receive('{"v":9,"t":"something-new"}');
      await vi.advanceTimersByTimeAsync(KEEPALIVE_INTERVAL_MS / 2);
    }
    expect(a.getState()).toMatchObject({
      kind: 'closed',
      reason: 'peer-gone',
      resume: { live: { link: 'down' } },
    });
    // Its chat still shows, and a pong (our ping answered) brings the link back.
    const gone = a.getState();
    expect(gone.kind === 'closed' ? gone.chat.map((e) => e.from) : []).toEqual([
      'peer',
      'peer',
      'peer',
      'peer',
      'peer',
    ]);
    pcA.channel.receive('{"v":1,"t":"pong"}');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState()).toMatchObject({ kind: 'connected', live: { link: 'up' } });
  });

  it('pongs alone keep the link up', async () => {
    const { a, pcA } = await exchange();
    pcA.setConnectionState('connected');
    pcA.channel.open();
    for (let t = 0; t < 4 * PEER_SILENCE_MS; t += KEEPALIVE_INTERVAL_MS) {
      await vi.advanceTimersByTimeAsync(KEEPALIVE_INTERVAL_MS);
      pcA.channel.receive('{"v":1,"t":"pong"}');
    }
    expect(a.getState().kind).toBe('connected');
  });
});

describe('ending', () => {
  it('hangup says bye: the other device sees remote-hangup, and both release their connections', async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    a.dispatch({ type: 'send-chat', text: 'bye now' });
    a.dispatch({ type: 'hangup' });
    await vi.advanceTimersByTimeAsync(FLUSH_BEFORE_CLOSE_MS + CLOSE_GRACE_MS);
    expect(a.getState()).toMatchObject({
      kind: 'closed',
      reason: 'local-hangup',
      chat: [{ text: 'bye now' }],
    });
    expect(b.getState()).toMatchObject({
      kind: 'closed',
      reason: 'remote-hangup',
      chat: [{ text: 'bye now' }],
    });
    expect(pcA.closeCalls).toBe(1);
    expect(pcB.closeCalls).toBe(1);
  });

  it('sendBye (page closing) tells the peer, which ends its side', async () => {
    const { a, b } = await connectedPair();
    a.sendBye();
    await vi.advanceTimersByTimeAsync(0);
    expect(b.getState()).toMatchObject({ kind: 'closed', reason: 'remote-hangup' });
  });

  it('dispose releases the connection and timers; the session refuses intents afterwards', async () => {
    const { a, pcA } = await connectedPair();
    a.dispose();
    await vi.advanceTimersByTimeAsync(FLUSH_BEFORE_CLOSE_MS);
    expect(pcA.closeCalls).toBe(1);
    expect(pcA.listenerCount()).toBe(0);
    expect(a.dispatch({ type: 'start' }).ok).toBe(false);
  });

  it('an aborted signal disposes the session', async () => {
    const controller = new AbortController();
    const a = createSession({
      RTCPeerConnection: rtc.RTCPeerConnection,
      appVersion: '0.1.0',
      signal: controller.signal,
    });
    a.dispatch({ type: 'start' });
    const pcA = rtc.last();
    controller.abort();
    expect(pcA.closeCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    expect(a.getState().kind).toBe('gathering'); // frozen: nothing reaches a disposed session
    expect(a.dispatch({ type: 'reset' }).ok).toBe(false);
  });

  it('a channel that closes cleanly without bye is the peer gone unannounced, never a hang-up', async () => {
    const { a, pcB } = await connectedPair();
    pcB.channel.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState()).toMatchObject({ kind: 'closed', reason: 'peer-gone' });
  });

  it('a hang-up says bye first, and reads as one', async () => {
    const { a, b } = await connectedPair();
    b.dispatch({ type: 'hangup' });
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState()).toMatchObject({ kind: 'closed', reason: 'remote-hangup' });
  });

  it('a channel that closes while the path is failing is a lost connection, not the peer hanging up', async () => {
    const { a, pcA } = await connectedPair();
    pcA.setConnectionState('failed', 'disconnected');
    pcA.channel.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState()).toMatchObject({ kind: 'closed', reason: 'connection-lost' });
  });
});

describe('failures before connecting', () => {
  it('an offer the browser refuses is a bad offer', async () => {
    const b = device();
    b.dispatch({ type: 'join', offerSdp: 'this is not sdp' });
    await vi.advanceTimersByTimeAsync(0);
    expect(b.getState()).toMatchObject({ kind: 'failed', role: 'answerer', reason: 'bad-offer' });
    expect((rtc.last() as FakePeerConnection).closeCalls).toBe(1);
  });

  it('an ICE failure after applying the answer is reported as such once the deadline passes', async () => {
    const { a, pcA } = await exchange();
    pcA.setConnectionState('failed', 'failed');
    expect(a.getState().kind).toBe('connecting');
    await vi.advanceTimersByTimeAsync(LATE_ANSWER_DEADLINE_MS);
    expect(a.getState()).toMatchObject({ kind: 'failed', reason: 'ice-failed' });
  });
});
