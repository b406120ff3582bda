// A code for a new conversation reaching a window with a live one (issue 14, hole 4): a link, a launch or a
// paste all arrive as 'submit-code'. The live conversation stays until the person says Replace (then the peer
// hears a hang-up first); Keep drops the code. With nothing live, an offer is joined at once, as before.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AppState, type Controller, createController } from '../../../src/app/controller.ts';
import { ANSWERED_RECENTLY_MS } from '../../../src/app/reconnect.ts';
import { DEFAULT_SETTINGS } from '../../../src/app/settings.ts';
import { decodeInput, encodeDescription } from '../../../src/codec/index.ts';
import {
  GATHER_DEADLINE_NO_SERVER_MS,
  KEEPALIVE_INTERVAL_MS,
  PEER_SILENCE_MS,
} from '../../../src/rtc/index.ts';
import { createFakeRtc, type FakePeerConnection, link, OFFER_SDP } from '../rtc/fake-rtc.ts';

let rtc: ReturnType<typeof createFakeRtc>;
let controllers: Controller[];

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  rtc = createFakeRtc();
  controllers = [];
});
afterEach(() => {
  for (const c of controllers) c.dispatch({ type: 'home' });
  vi.useRealTimers();
});

function device(): Controller {
  const c = createController({
    RTCPeerConnection: rtc.RTCPeerConnection as unknown as typeof RTCPeerConnection,
    appVersion: 'Pigeon 0',
    linkBase: 'https://example.org/app/',
    settings: { ...DEFAULT_SETTINGS, stun: '' },
    defaultName: 'Test device',
  });
  controllers.push(c);
  return c;
}

const codeOf = (s: AppState): string => {
  if (s.code === null) throw new Error(`no code on ${s.session.kind}`);
  return s.code.text;
};

/** The code on screen once there is one: an offer's waits for WebCrypto to hash its commitment, which runs in
 * real time (fake timers do not drive it). */
async function codeWhenShown(c: Controller): Promise<string> {
  await vi.waitFor(() => codeOf(c.getState()));
  return codeOf(c.getState());
}

/** A and B connected through their codes, as two people would. */
async function connected() {
  const a = device();
  const b = device();
  a.dispatch({ type: 'start' });
  const pcA = rtc.last();
  await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
  const offerCode = await codeWhenShown(a);
  b.dispatch({ type: 'submit-code', text: offerCode });
  const pcB = rtc.last();
  await vi.advanceTimersByTimeAsync(GATHER_DEADLINE_NO_SERVER_MS);
  a.dispatch({ type: 'submit-code', text: await codeWhenShown(b) });
  await vi.advanceTimersByTimeAsync(0);
  link(pcA, pcB);
  await vi.advanceTimersByTimeAsync(0);
  expect(b.getState().session.kind).toBe('connected');
  return { a, b, pcA, pcB, offerCode };
}

/** What anyone who saw A's first code can make: the same offer, marked as carrying this session on. */
function forgedResume(offerCode: string): string {
  const offer = decodeInput(offerCode, { expect: 'offer' });
  if (!offer.ok) throw new Error(offer.error.kind);
  const code = encodeDescription({ type: 'offer', sdp: offer.value.sdp }, { resume: true });
  if (!code.ok) throw new Error(code.error.kind);
  return code.value.text;
}

/** Someone else's offer: another device's certificate, so no reconnect code of this session. */
function foreignOffer(): string {
  const sdp = OFFER_SDP.replace(/a=fingerprint:sha-256 \S+/, `a=fingerprint:sha-256 ${'AB:'.repeat(31)}AB`);
  const code = encodeDescription({ type: 'offer', sdp });
  if (!code.ok) throw new Error(code.error.kind);
  return code.value.text;
}

const byes = (pc: FakePeerConnection) => pc.channel.sentMessages().filter((m) => m.t === 'bye');

describe('a new code while a conversation is live', () => {
  it('asks first; Keep leaves the conversation as it was', async () => {
    const { b, pcB } = await connected();
    const before = rtc.instances.length;
    b.dispatch({ type: 'submit-code', text: foreignOffer() });
    expect(b.getState()).toMatchObject({ confirmReplace: true, session: { kind: 'connected' } });
    expect(rtc.instances.length).toBe(before);
    expect(pcB.connectionState).toBe('connected');
    b.dispatch({ type: 'keep-session' });
    expect(b.getState()).toMatchObject({ confirmReplace: false, session: { kind: 'connected' } });
    expect(byes(pcB)).toEqual([]);
    // Keep dropped the code: a later Replace has nothing to join.
    b.dispatch({ type: 'replace-session' });
    expect(b.getState().session.kind).toBe('connected');
  });

  it('Replace says bye to the peer, then joins the new offer', async () => {
    const { a, b, pcB } = await connected();
    b.dispatch({ type: 'submit-code', text: foreignOffer() });
    b.dispatch({ type: 'replace-session' });
    expect(byes(pcB)).toHaveLength(1);
    expect(b.getState()).toMatchObject({
      confirmReplace: false,
      view: 'join',
      session: { kind: 'gathering' },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState().session).toMatchObject({ kind: 'closed', reason: 'remote-hangup' });
  });

  it('a reconnect code made from an earlier code is not taken while the connection carries both ways', async () => {
    const { b, pcA, pcB, offerCode } = await connected();
    // A keep-alive round: B's ping is answered, so A hears B and needs no code from anyone.
    await vi.advanceTimersByTimeAsync(KEEPALIVE_INTERVAL_MS);
    const before = rtc.instances.length;
    const forged = forgedResume(offerCode);
    b.dispatch({ type: 'submit-code', text: forged });
    // Treated as any other code: the person is asked, and the connection is untouched.
    expect(b.getState()).toMatchObject({ confirmReplace: true, session: { kind: 'connected' } });
    expect(rtc.instances.length).toBe(before);
    b.dispatch({ type: 'keep-session' });
    expect(pcB.connectionState).toBe('connected');
    expect(b.getState().session.kind).toBe('connected');

    // Once nothing of A's reaches B any more, the same code is still not this session's: it names the
    // session's certificate but lacks the tag only the two devices can make (app/reconnect-tag.ts).
    pcA.channel.remote = undefined;
    await vi.advanceTimersByTimeAsync(ANSWERED_RECENTLY_MS);
    expect(b.getState().session.kind).toBe('connected');
    b.dispatch({ type: 'submit-code', text: forged });
    expect(b.getState()).toMatchObject({ confirmReplace: true, session: { kind: 'connected' } });
    expect(rtc.instances.length).toBe(before);
  });

  it('"recently" is well inside the silence after which a device with no answers makes a code', () => {
    expect(ANSWERED_RECENTLY_MS).toBeGreaterThan(KEEPALIVE_INTERVAL_MS);
    expect(ANSWERED_RECENTLY_MS).toBeLessThan(PEER_SILENCE_MS);
  });

  it('with nothing live, an offer is joined at once', async () => {
    const c = device();
    c.dispatch({ type: 'submit-code', text: foreignOffer() });
    expect(c.getState()).toMatchObject({
      confirmReplace: false,
      view: 'join',
      session: { kind: 'gathering' },
    });
  });
});
