// A move to a new connection (rtc/session/move.ts), through createSession → reducer → runner → fake RTCPeerConnection:
// the decision "ICE restart or move", the make-before-break switch, and a move that does not come up.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FEATURES } from '../../../src/rtc/inband/control.ts';
import { GATHER_DEADLINE_NO_SERVER_MS, type Session } from '../../../src/rtc/index.ts';
import { MOVE_RELEASE_GRACE_MS } from '../../../src/rtc/runner/move.ts';
import { MOVE_DEADLINE_MS, MOVE_SETTLE_MS, restartPlan } from '../../../src/rtc/session/move.ts';
import { createFakeRtc, type FakePeerConnection, link } from './fake-rtc.ts';
import { type Devices, devices } from './pair.ts';

let rtc: ReturnType<typeof createFakeRtc>;
let kit: Devices;

const connectedOf = (s: Session) => {
  const state = s.getState();
  if (state.kind !== 'connected') throw new Error(`not connected: ${state.kind}`);
  return state;
};
const settle = () => vi.advanceTimersByTimeAsync(0);
const count = (pc: FakePeerConnection, call: string) => pc.calls.filter((c) => c === call).length;

/** A (Start) and B (Join), connected, both having said hello (so each knows what the other can do). */
function connectedPair(features?: readonly string[]) {
  if (features !== undefined) kit = devices(rtc, features);
  return kit.connectedPair();
}

/** Runs a move's two gatherings; returns the two new connections (B's, then A's). */
async function gatherMove(): Promise<{ newA: FakePeerConnection; newB: FakePeerConnection }> {
  await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS); // B's new offer, sent over the old channel
  await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS); // A's answer, sent back the same way
  const newB = rtc.instances[2];
  const newA = rtc.instances[3];
  if (newA === undefined || newB === undefined) throw new Error('the move made no new connections');
  return { newA, newB };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  rtc = createFakeRtc();
  kit = devices(rtc);
});
afterEach(() => {
  kit.dispose();
  vi.useRealTimers();
});

describe('restartPlan: restart ICE, or move to a new connection', () => {
  const peer = (features: readonly string[]) => ({ app: 'x', features });
  it('moves when the peer can and the old connection still carries', () => {
    expect(restartPlan(peer(FEATURES), 'up', false)).toBe('move');
  });
  it('restarts ICE when nothing reaches the peer over the old path, or the peer cannot move', () => {
    expect(restartPlan(peer(FEATURES), 'unstable', false)).toBe('ice-restart');
    expect(restartPlan(peer(FEATURES), 'down', false)).toBe('ice-restart');
    expect(restartPlan(peer(['chat', 'restart']), 'up', false)).toBe('ice-restart');
    expect(restartPlan(null, 'up', false)).toBe('ice-restart');
  });
  it('a restart asked for during a move is folded into it', () => {
    expect(restartPlan(peer(FEATURES), 'unstable', true)).toBe('move');
  });
});

describe('a move to a new connection, make-before-break', () => {
  it('the Starter taps Restart: the Joiner moves; both switch, chat goes on, the old connections close', async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    const sinceBefore = connectedOf(a).since;
    a.dispatch({ type: 'restart-ice' });
    await settle();
    // No ICE restart on the old connection; B (polite) makes the new connection's offer.
    expect(count(pcA, 'createOffer:restart') + count(pcB, 'createOffer:restart')).toBe(0);
    // Written while the move runs: sent on the old connection, then again on the new one until acknowledged.
    a.dispatch({ type: 'send-chat', text: 'during the move' });
    await settle();
    const { newA, newB } = await gatherMove();
    expect(newB.localDescription?.type).toBe('offer');
    expect(newA.remoteDescription?.sdp).toContain('a=setup:active'); // pinned: A's own answer is passive
    expect(newA.localDescription?.sdp).toContain('a=setup:passive');
    expect(newB.remoteDescription?.type).toBe('answer');
    // The old connection still carries until the new one opens.
    expect(connectedOf(a).live.move).toMatchObject({ side: 'answering' });
    link(newA, newB);
    await settle();
    const [sa, sb] = [connectedOf(a), connectedOf(b)];
    expect([sa.role, sb.role]).toEqual(['answerer', 'offerer']); // roles follow the new connection
    expect([sa.live.move, sb.live.move]).toEqual([null, null]);
    expect(sa.since).toBeGreaterThanOrEqual(sinceBefore);
    expect(sa.peer?.features).toContain('move'); // what the peer said stays known
    expect(sb.chat.filter((e) => e.text === 'during the move')).toHaveLength(1);
    a.dispatch({ type: 'send-chat', text: 'after the move' });
    await settle();
    expect(connectedOf(b).chat.map((e) => e.text)).toEqual(['during the move', 'after the move']);
    expect(connectedOf(a).chat.every((e) => e.from !== 'me' || e.status === 'delivered')).toBe(true);
    // The old connections are released a moment later, and nothing of them reaches the sessions.
    expect([pcA.closeCalls, pcB.closeCalls]).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(MOVE_RELEASE_GRACE_MS + 1_000);
    expect(pcA.channel.closeCalls).toBeGreaterThan(0);
    expect(pcB.channel.closeCalls).toBeGreaterThan(0);
    expect([a.getState().kind, b.getState().kind]).toEqual(['connected', 'connected']);
    expect([newA.closeCalls, newB.closeCalls]).toEqual([0, 0]);
  });

  it('both tap Restart at once: one move', async () => {
    const { a, b } = await connectedPair();
    a.dispatch({ type: 'restart-ice' });
    b.dispatch({ type: 'restart-ice' });
    await settle();
    const { newA, newB } = await gatherMove();
    expect(rtc.instances).toHaveLength(4);
    link(newA, newB);
    await settle();
    expect([a.getState().kind, b.getState().kind]).toEqual(['connected', 'connected']);
  });

  it('a tap that lands just after the move switched is folded into it; a later one moves again', async () => {
    const { a, b } = await connectedPair();
    b.dispatch({ type: 'restart-ice' });
    await settle();
    const { newA, newB } = await gatherMove();
    link(newA, newB);
    await settle();
    expect(a.dispatch({ type: 'restart-ice' }).ok).toBe(false); // folded: nothing to do now
    await settle();
    await vi.advanceTimersByTimeAsync(2 * GATHER_DEADLINE_NO_SERVER_MS);
    expect(rtc.instances).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(MOVE_SETTLE_MS);
    a.dispatch({ type: 'restart-ice' }); // A is the polite side of the new connection: it moves itself
    await settle();
    expect(rtc.instances).toHaveLength(5);
    expect(connectedOf(a).live.move).toMatchObject({ side: 'offering' });
  });

  it("the Starter's automatic restart request (its ICE failed) restarts ICE, even if it lands on a working link", async () => {
    const { pcA, pcB } = await connectedPair();
    pcA.setConnectionState('failed', 'failed'); // A asks B in-band, as after a network change
    await settle();
    expect(rtc.instances).toHaveLength(2); // no move
    expect(count(pcB, 'createOffer:restart')).toBe(1);
  });

  it('a peer that cannot move is restarted in place (ICE restart), as before', async () => {
    const { b, pcB } = await connectedPair(FEATURES.filter((f) => f !== 'move'));
    b.dispatch({ type: 'restart-ice' });
    await settle();
    expect(count(pcB, 'createOffer:restart')).toBe(1);
    expect(rtc.instances).toHaveLength(2);
  });

  it('a move that does not open in time is dropped on both sides, and the mover restarts ICE instead', async () => {
    const { a, b, pcB } = await connectedPair();
    b.dispatch({ type: 'restart-ice' });
    await settle();
    const { newA, newB } = await gatherMove();
    // Never linked: the new connection never carries.
    await vi.advanceTimersByTimeAsync(MOVE_DEADLINE_MS);
    expect(newA.closeCalls + newA.channel.closeCalls).toBeGreaterThan(0);
    expect(newB.closeCalls + newB.channel.closeCalls).toBeGreaterThan(0);
    expect([connectedOf(a).live.move, connectedOf(b).live.move]).toEqual([null, null]);
    expect(count(pcB, 'createOffer:restart')).toBe(1);
    expect([connectedOf(a).role, connectedOf(b).role]).toEqual(['offerer', 'answerer']);
  });
});
