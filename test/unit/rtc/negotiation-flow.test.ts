// Two devices through createSession → reducer → runner → fake RTCPeerConnection, after the first exchange:
// in-band renegotiation with glare, restarts (automatic and pending), the chat outbox, and reconnect codes.
// The fake refuses setRemoteDescription(offer) outside 'stable', so a missing rollback fails these tests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FEATURES } from '../../../src/rtc/inband/control.ts';
import { descMessage } from '../../../src/rtc/inband/signal.ts';
import {
  GATHER_DEADLINE_NO_SERVER_MS,
  KEEPALIVE_INTERVAL_MS,
  PEER_SILENCE_MS,
  type Session,
} from '../../../src/rtc/index.ts';
import { CLOSE_GRACE_MS, FLUSH_BEFORE_CLOSE_MS } from '../../../src/rtc/runner/attempt.ts';
import { createFakeRtc, type FakePeerConnection } from './fake-rtc.ts';
import { type Devices, devices } from './pair.ts';

let rtc: ReturnType<typeof createFakeRtc>;
let kit: Devices;

/** Peers that cannot move to a new connection (rtc/session/move.ts): these tests are about ICE restarts. */
const NO_MOVE = FEATURES.filter((f) => f !== 'move');

const live = (s: Session) => {
  const state = s.getState();
  if (state.kind !== 'connected') throw new Error(`not connected: ${state.kind}`);
  return state.live;
};
/** The negotiation of a session that is live or waiting to be resumed. */
const resumeNeg = (s: Session) => {
  const state = s.getState();
  if (state.kind === 'connected') return state.live.neg;
  return state.kind === 'closed' ? state.resume?.live.neg : undefined;
};
const chat = (s: Session) => {
  const state = s.getState();
  return state.kind === 'connected' ? state.chat : [];
};
const settle = () => vi.advanceTimersByTimeAsync(0);

/** A (Start, impolite) and B (Join, polite), connected with the channel carrying messages both ways. */
const connectedPair = () => kit.connectedPair();

const count = (pc: FakePeerConnection, call: string) => pc.calls.filter((c) => c === call).length;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  rtc = createFakeRtc();
  kit = devices(rtc, NO_MOVE);
});
afterEach(() => {
  kit.dispose();
  vi.useRealTimers();
});

describe('in-band negotiation between two devices', () => {
  it('both ask for an ICE restart at the same moment: the Joiner offers it, once; the Starter answers', async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    a.dispatch({ type: 'restart-ice' });
    b.dispatch({ type: 'restart-ice' });
    await settle();
    expect(count(pcA, 'createOffer:restart')).toBe(0);
    expect(count(pcB, 'createOffer:restart')).toBe(1);
    expect([pcA.signalingState, pcB.signalingState]).toEqual(['stable', 'stable']);
    expect(pcA.remoteDescription?.sdp).toContain('ice-ufrag:rst1');
    expect(live(a).neg).toMatchObject({ phase: 'stable', restart: 'no' });
    expect(live(b).neg).toMatchObject({ phase: 'stable', restart: 'no' });
    a.dispatch({ type: 'send-chat', text: 'after the restart' });
    await settle();
    expect(chat(b).map((e) => e.text)).toEqual(['after the restart']);
  });

  it('a track change of the Starter crossing a restart of the Joiner: both land, the Joiner rolls back once', async () => {
    const { b, pcA, pcB } = await connectedPair();
    pcA.needNegotiation();
    b.dispatch({ type: 'restart-ice' });
    await settle();
    expect(count(pcB, 'setLocalDescription:rollback')).toBe(1);
    expect(count(pcB, 'createOffer:restart')).toBe(2); // rolled back, then offered again
    expect(pcA.remoteDescription?.sdp).toContain('ice-ufrag:rst2');
    expect([pcA.signalingState, pcB.signalingState]).toEqual(['stable', 'stable']);
  });

  it('both change tracks at once: the impolite change lands first, then the polite one', async () => {
    const { pcA, pcB } = await connectedPair();
    pcA.needNegotiation();
    pcB.needNegotiation();
    await settle();
    expect(count(pcB, 'setLocalDescription:rollback')).toBe(1);
    // B offered twice (the first rolled back), A answered B's second offer.
    expect(count(pcB, 'createOffer')).toBe(2);
    expect(count(pcA, 'setRemoteDescription:offer')).toBe(1);
    expect(count(pcA, 'setLocalDescription:answer')).toBe(1);
    expect([pcA.signalingState, pcB.signalingState]).toEqual(['stable', 'stable']);
  });

  it('candidates travel in-band and are added after the description they belong to', async () => {
    const { a, pcA, pcB } = await connectedPair();
    a.dispatch({ type: 'restart-ice' });
    await settle();
    pcA.emitCandidate('host', '192.0.2.77');
    await settle();
    expect(pcB.addedCandidates.map((c) => c.candidate)).toEqual([expect.stringContaining('192.0.2.77')]);
    expect(pcB.calls.indexOf('addIceCandidate')).toBeGreaterThan(
      pcB.calls.indexOf('setRemoteDescription:offer'),
    );
  });

  it('a restart asked for while a change is pending follows once that change is answered', async () => {
    const { b, pcA, pcB } = await connectedPair();
    pcB.needNegotiation();
    b.dispatch({ type: 'restart-ice' });
    await settle();
    const offers = pcB.calls.filter((c) => c.startsWith('createOffer'));
    expect(offers).toEqual(['createOffer', 'createOffer:restart']);
    expect(pcA.remoteDescription?.sdp).toContain('ice-ufrag:rst1');
    expect(live(b).neg).toMatchObject({ phase: 'stable', restart: 'no' });
  });
});

describe('an offer the peer cannot answer', () => {
  it('is refused: the offerer rolls it back instead of waiting forever, and the next change goes through', async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    const answers = count(pcB, 'setLocalDescription:answer'); // the first exchange's
    pcB.failNextRemote = true;
    pcA.needNegotiation();
    await settle();
    // B could not apply A's offer; A's offer is taken back and both are stable again.
    expect(count(pcB, 'setRemoteDescription:offer')).toBe(2);
    expect(count(pcB, 'setLocalDescription:answer')).toBe(answers);
    expect(count(pcA, 'setLocalDescription:rollback')).toBe(1);
    expect([pcA.signalingState, pcB.signalingState]).toEqual(['stable', 'stable']);
    expect([live(a).neg.phase, live(b).neg.phase]).toEqual(['stable', 'stable']);
    // Without the refusal A would still be 'offer-sent' and ignore this.
    pcA.needNegotiation();
    await settle();
    expect(count(pcB, 'setLocalDescription:answer')).toBe(answers + 1);
    expect([pcA.signalingState, pcB.signalingState]).toEqual(['stable', 'stable']);
  });
});

describe('link health', () => {
  it('ICE failed: restart in-band at once; chat sent meanwhile arrives once, after recovery', async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    // The path drops: nothing sent now reaches A.
    pcB.channel.remote = undefined;
    pcB.setConnectionState('failed', 'failed');
    await settle();
    expect(live(b).link).toBe('unstable');
    expect(count(pcB, 'createOffer:restart')).toBe(1);
    b.dispatch({ type: 'send-chat', text: 'during the outage' });
    await settle();
    expect(chat(a)).toEqual([]);
    // The path is back; the restart offer was lost, so the connection comes back on the old one here.
    pcB.channel.remote = pcA.channel;
    pcB.setConnectionState('connected');
    await settle();
    expect(live(b).link).toBe('up');
    expect(chat(a).map((e) => e.text)).toEqual(['during the outage']);
    expect(chat(b)).toMatchObject([{ text: 'during the outage', status: 'delivered' }]);
    // Sent again by a later recovery: still one copy.
    pcB.setConnectionState('disconnected');
    pcB.setConnectionState('connected');
    await settle();
    expect(chat(a)).toHaveLength(1);
  });

  it('disconnected recovers by itself within the grace period: no restart', async () => {
    const { a, pcA } = await connectedPair();
    pcA.setConnectionState('disconnected');
    await vi.advanceTimersByTimeAsync(1_000);
    pcA.setConnectionState('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(count(pcA, 'createOffer:restart')).toBe(0);
    expect(live(a).link).toBe('up');
  });
});

describe('reconnect codes', () => {
  it('B (Joiner) makes a restart-offer code, A answers it, B applies the answer; stale in-band offers are ignored', async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    // Nothing carries any more: A's in-band offer (a track change) is queued on a dead path.
    pcA.channel.remote = undefined;
    pcB.channel.remote = undefined;
    pcA.needNegotiation();
    await settle();
    const stale = pcA.channel.sent.at(-1) ?? '';
    expect(JSON.parse(stale)).toMatchObject({ t: 'desc', kind: 'offer', gen: 0 });

    a.dispatch({ type: 'make-reconnect-code' }); // the Starter does not make codes
    b.dispatch({ type: 'make-reconnect-code' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    expect(live(a).neg.code).toBeNull();
    const code = live(b).neg.code;
    expect(code?.kind).toBe('offer');
    // A recognises the code as this session's: same fingerprint as its current remote description.
    expect(a.remoteSdp()).toContain('a=fingerprint:');
    a.dispatch({ type: 'accept-reconnect-offer', sdp: code?.sdp ?? '' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    expect(count(pcA, 'setLocalDescription:rollback')).toBe(1); // its own in-band offer abandoned
    const answer = live(a).neg.code;
    expect(answer?.kind).toBe('answer');
    b.dispatch({ type: 'accept-reconnect-answer', sdp: answer?.sdp ?? '' });
    await settle();
    expect(live(b).neg).toMatchObject({ phase: 'stable', gen: 1, code: null });
    expect(live(a).neg).toMatchObject({ phase: 'stable', gen: 1 });
    expect([pcA.signalingState, pcB.signalingState]).toEqual(['stable', 'stable']);

    // The path is back; the offer A queued before the outage finally arrives, and must not undo anything.
    pcA.channel.remote = pcB.channel;
    pcB.channel.remote = pcA.channel;
    const remoteBefore = pcB.remoteDescription?.sdp;
    pcB.channel.receive(stale);
    pcA.setConnectionState('connected');
    pcB.setConnectionState('connected');
    await settle();
    expect(pcB.remoteDescription?.sdp).toBe(remoteBefore);
    // The answer code stays on screen until the peer is heard (it can only be heard once it applied it).
    expect(live(a).neg.code?.kind).toBe('answer');
    a.dispatch({ type: 'send-chat', text: 'back' });
    await settle();
    expect(chat(b).map((e) => e.text)).toEqual(['back']);
    expect(live(a).neg.code).toBeNull();
  });

  it("one direction down: B hears nothing; A hears B but gets no answers: both say so; A keeps its answer to B's code until B answers a ping", async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    pcA.channel.remote = undefined; // A → B lost; B's messages still reach A
    await vi.advanceTimersByTimeAsync(PEER_SILENCE_MS);
    expect(b.getState()).toMatchObject({ kind: 'closed', reason: 'peer-gone' });
    // B's pings arrive, but A's are not answered: for A, too, the other device stopped answering.
    expect(a.getState()).toMatchObject({ kind: 'closed', reason: 'peer-gone' });
    b.dispatch({ type: 'make-reconnect-code' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    a.dispatch({ type: 'accept-reconnect-offer', sdp: resumeNeg(b)?.code?.sdp ?? '' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    const answer = resumeNeg(a)?.code;
    expect(answer?.kind).toBe('answer');
    // B's pings keep arriving: they do not mean B has our answer.
    await vi.advanceTimersByTimeAsync(2 * KEEPALIVE_INTERVAL_MS);
    expect(resumeNeg(a)?.code).toEqual(answer);
    b.dispatch({ type: 'accept-reconnect-answer', sdp: answer?.sdp ?? '' });
    pcA.channel.remote = pcB.channel;
    await vi.advanceTimersByTimeAsync(KEEPALIVE_INTERVAL_MS + 1);
    expect(a.getState()).toMatchObject({ kind: 'connected', live: { link: 'up', neg: { code: null } } });
    expect(b.getState().kind).toBe('connected');
  });

  it('both sides went quiet (peer-gone): codes resume the session with its chat, and the held chat goes out', async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    a.dispatch({ type: 'send-chat', text: 'before' });
    await settle();
    pcA.channel.remote = undefined;
    pcB.channel.remote = undefined;
    await vi.advanceTimersByTimeAsync(PEER_SILENCE_MS);
    expect(a.getState()).toMatchObject({ kind: 'closed', reason: 'peer-gone' });
    expect(b.getState()).toMatchObject({ kind: 'closed', reason: 'peer-gone' });
    a.dispatch({ type: 'send-chat', text: 'held while gone' }); // kept in the outbox until the link is up
    b.dispatch({ type: 'make-reconnect-code' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    const offer = b.getState();
    const code = offer.kind === 'closed' ? offer.resume?.live.neg.code : undefined;
    expect(code?.kind).toBe('offer');
    a.dispatch({ type: 'accept-reconnect-offer', sdp: code?.sdp ?? '' });
    await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
    const answered = a.getState();
    const answer = answered.kind === 'closed' ? answered.resume?.live.neg.code : undefined;
    expect(answer?.kind).toBe('answer');
    b.dispatch({ type: 'accept-reconnect-answer', sdp: answer?.sdp ?? '' });
    await settle();
    expect(pcA.remoteDescription?.sdp).toContain('ice-ufrag:rst1');
    // ICE comes up on the new candidates.
    pcA.channel.remote = pcB.channel;
    pcB.channel.remote = pcA.channel;
    pcA.setConnectionState('connected');
    pcB.setConnectionState('connected');
    await settle();
    expect(a.getState()).toMatchObject({ kind: 'connected', live: { link: 'up', neg: { gen: 1 } } });
    expect(b.getState()).toMatchObject({ kind: 'connected', live: { link: 'up', neg: { gen: 1 } } });
    expect(chat(a).map((e) => e.text)).toEqual(['before', 'held while gone']);
    expect(chat(b).map((e) => e.text)).toEqual(['before', 'held while gone']);
    expect(chat(a).map((e) => e.from === 'me' && e.status)).toEqual(['delivered', 'delivered']);
  });
});

/** Another certificate's fingerprint in the same description. */
const forged = (sdp: string) => sdp.replace(/^(a=fingerprint:sha-256 )4F/m, '$1AA');

// A remote description in-band (a re-offer, or an answer to ours) that changes the peer's DTLS fingerprint is
// not applied: someone other than the device this session was made with would take it over. The session ends,
// saying why, and the peer is told (bye 'rejected').
describe("a change of the peer's fingerprint in-band", () => {
  it('a re-offer with another fingerprint is not applied: the session ends, and the peer is told', async () => {
    const { a, b, pcA, pcB } = await connectedPair();
    expect(b.getState().kind).toBe('connected');
    const offers = count(pcB, 'setRemoteDescription:offer');
    const remote = pcB.remoteDescription?.sdp ?? '';
    expect(forged(remote)).not.toBe(remote);
    pcB.channel.receive(JSON.stringify(descMessage('offer', forged(remote), false, 0)));
    await settle();
    expect(count(pcB, 'setRemoteDescription:offer')).toBe(offers);
    expect(b.getState()).toMatchObject({ kind: 'closed', reason: 'certificate-changed' });
    expect(pcB.channel.sentMessages()).toContainEqual(
      expect.objectContaining({ t: 'bye', reason: 'rejected' }),
    );
    // The honest peer (A here) reads that as a refusal of the session, chat kept.
    expect(a.getState()).toMatchObject({ kind: 'closed', reason: 'remote-rejected' });
    await vi.advanceTimersByTimeAsync(FLUSH_BEFORE_CLOSE_MS + CLOSE_GRACE_MS); // its connection goes after a bye's grace
    expect(pcA.signalingState).toBe('closed');
  });

  it('an answer to our offer with another fingerprint is not applied either', async () => {
    const { a, pcA } = await connectedPair();
    pcA.channel.remote = undefined; // our offer goes nowhere; a forged answer comes back instead
    pcA.needNegotiation();
    await settle();
    const answers = count(pcA, 'setRemoteDescription:answer');
    const remote = pcA.remoteDescription?.sdp ?? '';
    pcA.channel.receive(JSON.stringify(descMessage('answer', forged(remote), false, 0)));
    await settle();
    expect(count(pcA, 'setRemoteDescription:answer')).toBe(answers);
    expect(a.getState()).toMatchObject({ kind: 'closed', reason: 'certificate-changed' });
  });

  it('the same fingerprint, written differently (lower-case hex), is the same certificate', async () => {
    const { b, pcB } = await connectedPair();
    const offers = count(pcB, 'setRemoteDescription:offer');
    const remote = pcB.remoteDescription?.sdp ?? '';
    const lower = remote.replace(/^a=fingerprint:.*$/m, (line) => line.toLowerCase());
    pcB.channel.receive(JSON.stringify(descMessage('offer', lower, false, 0)));
    await settle();
    expect(count(pcB, 'setRemoteDescription:offer')).toBe(offers + 1);
    expect(b.getState().kind).toBe('connected');
  });
});
