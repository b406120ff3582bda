// Two devices through createSession → reducer → runner → fake RTCPeerConnection, exchanged by hand the way the
// person carries codes. Shared by the flow tests; call it in beforeEach with that test's fake and fake timers.
import { vi } from 'vitest';
import {
  createSession,
  GATHER_DEADLINE_NO_SERVER_MS,
  type Session,
  type SessionState,
} from '../../../src/rtc/index.ts';
import { type createFakeRtc, link } from './fake-rtc.ts';

export function sdpOf(state: SessionState): string {
  if (state.kind !== 'offer-ready' && state.kind !== 'answer-ready')
    throw new Error(`no code in ${state.kind}`);
  return state.sdp;
}

export interface Devices {
  /** A new device; its chat ids are `${name}-N` (or the shared `newId`'s); `hello`: its device name. */
  device(name: string, hello?: string): Session;
  /**
   * A (Start) and B (Join) through the whole exchange, up to the point where the transport connects; `helloA`,
   * `helloB`: their device names.
   */
  exchange(helloA?: string, helloB?: string): Promise<{ a: Session; b: Session; pcA: FakePc; pcB: FakePc }>;
  /** The same, connected, the channel carrying messages both ways. */
  connectedPair(): Promise<{ a: Session; b: Session; pcA: FakePc; pcB: FakePc }>;
  /** Disposes every device made. */
  dispose(): void;
}

type FakeRtc = ReturnType<typeof createFakeRtc>;
type FakePc = ReturnType<FakeRtc['last']>;

/**
 * `features`: what every device announces in hello (default: all the build has); `newId`: one id source for
 * every device (default: each device's ids carry its name).
 */
export function devices(rtc: FakeRtc, features?: readonly string[], newId?: () => string): Devices {
  const sessions: Session[] = [];
  let ids = 0;
  function device(name: string, hello?: string): Session {
    const session = createSession({
      RTCPeerConnection: rtc.RTCPeerConnection,
      appVersion: '0.1.0',
      ...(features === undefined ? {} : { features }),
      ...(hello === undefined ? {} : { name: hello }),
      newId: newId ?? (() => `${name}-${++ids}`),
    });
    sessions.push(session);
    return session;
  }
  async function exchange(helloA?: string, helloB?: string) {
    const a = device('a', helloA);
    const b = device('b', helloB);
    a.dispatch({ type: 'start' });
    const pcA = rtc.last();
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    b.dispatch({ type: 'join', offerSdp: sdpOf(a.getState()) });
    const pcB = rtc.last();
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    a.dispatch({ type: 'accept-answer', answerSdp: sdpOf(b.getState()) });
    await vi.advanceTimersByTimeAsync(0);
    return { a, b, pcA, pcB };
  }
  async function connectedPair() {
    const pair = await exchange();
    link(pair.pcA, pair.pcB);
    await vi.advanceTimersByTimeAsync(0);
    return pair;
  }
  return {
    device,
    exchange,
    connectedPair,
    dispose: () => {
      for (const session of sessions) session.dispose();
    },
  };
}
