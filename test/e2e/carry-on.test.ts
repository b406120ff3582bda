// Every address changes and one device's connection is gone for good: Firefox never leaves a dead selected pair
// and closes its data channels when its ICE fails, so an ICE restart cannot bring its session back. Its
// reconnect code is then a new connection's offer (marked "resume"; every connection of a session has the same
// certificate, so the other device recognises the fingerprint). The other device answers with a new connection
// and the conversation goes on: chat from the outage arrives once, a file in flight resumes, and a call is made
// again on the new connection (same id, accepted by itself, muted as it was); the old capture is stopped.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText, t } from './harness/app.ts';
import { launchChromium, launchFirefox } from './harness/browsers.ts';
import { quarterSent, recordObjectUrls, source, verifiedBoth } from './harness/files.ts';
import {
  livePc,
  peerMic,
  reportingBothSides,
  setDeaf,
  videoCall,
  waitCallPhase,
  waitMoreFrames,
} from './harness/live.ts';
import { renumber } from './harness/network.ts';
import { RECOVERY_TIMEOUT_MS, sendDuringOutage } from './harness/outage.ts';
import { chromiumAndFirefox } from './harness/suite.ts';

/** Firefox says its connection is lost once its ICE has failed and its channels closed (~20 s after failing). */
const LOST_TIMEOUT_MS = 120_000;
/** Video frames each side must decode on the new connection: about a second of the fake camera. */
const FRAMES_AFTER = 30;
/** Audio and video of the one capture still open. */
const TRACKS_OF_ONE_CAPTURE = 2;
const MB = 1024 * 1024;
const FILE_SIZE = 24 * MB;
const TRANSFER_TIMEOUT_MS = 240_000;

const suite = chromiumAndFirefox({ media: true, rawIp: true });
let dir: string;
let undo: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pigeon-carry-on-e2e-'));
});
afterEach(async () => {
  await undo?.();
  undo = undefined;
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const LOST = t('closed.connection-lost');
const HALF_WRITTEN = 'still writing when the';

/** The certificate fingerprint of the page's newest connection (Firefox refuses to read a closed one's). */
const fingerprint = async (app: AppPage): Promise<string> => (await livePc(app)).fingerprint;

/** Each side's microphone is off (button, and the captured track itself), and the other side shows it. */
async function bothMuted(a: AppPage, b: AppPage): Promise<void> {
  for (const [app, peer] of [
    [a, b],
    [b, a],
  ] as const) {
    await peer.poll(
      `${app.name} muted, as its peer sees`,
      () => peerMic(peer),
      (m) => m === 'false',
      RECOVERY_TIMEOUT_MS,
    );
    // What the new connection sends: the microphone track on its audio sender (the call's own clone of the
    // device's capture, app/capture.ts), switched off.
    const state = await app.evaluate(() => {
      const probe = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
      const button = document.querySelector('[data-testid="call-mic"]')?.getAttribute('aria-pressed') ?? null;
      const senders = probe.pcs.at(-1)?.getSenders() ?? [];
      const tracks = senders.flatMap((s) => (s.track?.kind === 'audio' ? [s.track.enabled] : []));
      return { button, tracks };
    }, undefined);
    expect(state, app.name).toEqual({ button: 'true', tracks: [false] });
  }
}

/** After the outage: chat both ways, and no page error on either side. */
async function talksAfter(a: AppPage, b: AppPage): Promise<void> {
  await chatBothWays(a, b, 'after');
  await noPageErrors(a, b);
}

async function noPageErrors(a: AppPage, b: AppPage): Promise<void> {
  expect(await a.pageErrors()).toEqual([]);
  expect(await b.pageErrors()).toEqual([]);
}

/** Waits until the app shows "connection lost" (this device's connection is gone). */
const waitLost = (app: AppPage) =>
  app.waitFor(
    '"connection lost"',
    (s) => (s.screen ?? '').endsWith(':closed') && s.state === LOST,
    LOST_TIMEOUT_MS,
  );

/** The device that made the new connection's code shows it; the other answers; the first reads the answer. */
async function carryOn(maker: AppPage, other: AppPage): Promise<void> {
  const offer = await maker.waitFor(
    'the new connection code',
    (s) => (s.screen ?? '').endsWith(':offer-ready') && (s.code ?? '') !== '',
  );
  expect(offer.state).toBe(t('reconnect.newOffer'));
  await other.enterCode(offer.code ?? '');
  const answer = await other.waitFor(
    'the answer',
    (s) => (s.screen ?? '').endsWith(':answer-ready') && (s.code ?? '') !== '',
  );
  await maker.enterCode(answer.code ?? '');
  await Promise.all([maker.waitConnected(RECOVERY_TIMEOUT_MS), other.waitConnected(RECOVERY_TIMEOUT_MS)]);
}

describe('a lost connection carried on by a new one', () => {
  it('Chromium Start, Firefox Join: Firefox makes the code; chat, a file in flight and a muted call go on', async () => {
    const a = await AppPage.open(suite.chromium, suite.server.url, 'A (chromium)');
    const b = await AppPage.open(suite.firefox, suite.server.url, 'B (firefox)');
    try {
      await Promise.all([a.evaluate(recordObjectUrls, undefined), b.evaluate(recordObjectUrls, undefined)]);
      await pairByText(a, b);
      await chatBothWays(a, b, 'before');
      await videoCall(a, b);
      // Both mute: B will call again (its capture is open before the call is active again), A will accept by
      // itself (its mute must hold for a capture still opening).
      await Promise.all([a.tap('call-mic'), b.tap('call-mic')]);
      await bothMuted(a, b);
      const file = await source(dir, 'carried.bin', FILE_SIZE);
      const { id, held } = await quarterSent(a, b, file, TRANSFER_TIMEOUT_MS);
      const before = await Promise.all([livePc(a), livePc(b)]);
      const prints = await Promise.all([fingerprint(a), fingerprint(b)]);

      undo = await renumber();
      const delivered = await sendDuringOutage(a, b);
      await reportingBothSides([a, b], async () => {
        await waitLost(b);
        await a.waitScreen(':closed', RECOVERY_TIMEOUT_MS);
        await b.tap('make-reconnect');
        await carryOn(b, a);
      });
      await delivered();
      await chatBothWays(a, b, 'after');

      // New connections on both sides, each with its session's certificate.
      const after = await Promise.all([livePc(a), livePc(b)]);
      expect(after.map((p) => p.connection)).toEqual(['connected', 'connected']);
      expect(after[0]?.localUfrag).not.toBe(before[0]?.localUfrag);
      expect(after[1]?.localUfrag).not.toBe(before[1]?.localUfrag);
      expect((await a.peerConnections()).length).toBe(2);
      expect((await b.peerConnections()).length).toBe(2);
      expect(await Promise.all([fingerprint(a), fingerprint(b)])).toEqual(prints);
      expect(prints[0]).not.toBe('');
      // The call is made again on the new connection: video decoded both ways, both still muted, and only the
      // new capture is live on each side (the old connection's was stopped).
      await Promise.all([waitCallPhase(a, 'active'), waitCallPhase(b, 'active')]);
      await Promise.all([waitMoreFrames(a, FRAMES_AFTER), waitMoreFrames(b, FRAMES_AFTER)]);
      await bothMuted(a, b);
      expect((await a.camera()).liveTracks).toBe(TRACKS_OF_ONE_CAPTURE);
      expect((await b.camera()).liveTracks).toBe(TRACKS_OF_ONE_CAPTURE);

      const sent = await verifiedBoth(a, b, id, file, TRANSFER_TIMEOUT_MS);
      console.info(
        `carried on: ${held.bytes} received when the addresses changed, resumed from ${sent.resumedFrom[0] ?? 0}, ` +
          `sent ${sent.sent} for ${FILE_SIZE}`,
      );
      expect(sent.resumedFrom.length).toBeGreaterThanOrEqual(1);
      await noPageErrors(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  }, 480_000);

  it("Firefox Start, Chromium Join: Chromium's restart code cannot help Firefox, which answers it with a new connection's code", async () => {
    const a = await AppPage.open(suite.firefox, suite.server.url, 'A (firefox)');
    const b = await AppPage.open(suite.chromium, suite.server.url, 'B (chromium)');
    try {
      await pairByText(a, b);
      await chatBothWays(a, b, 'before');
      undo = await renumber();
      const delivered = await sendDuringOutage(a, b);
      await reportingBothSides([a, b], async () => {
        await waitLost(a);
        // Chromium still holds its connection: its reconnect code is an ICE restart offer.
        await b.waitScreen(':closed', RECOVERY_TIMEOUT_MS);
        await b.tap('make-reconnect');
        const restart = await b.waitFor('the restart code', (s) => (s.code ?? '') !== '');
        await a.enterCode(restart.code ?? '');
        await carryOn(a, b);
      });
      await delivered();
      await talksAfter(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  }, 360_000);

  it('Firefox ↔ Firefox: both lose their connection; one makes the code, the other answers it from "connection lost"', async () => {
    // A second Firefox: two tabs of one would leave one in the background, where clicks never settle.
    const second = await launchFirefox({ media: true, rawIp: true });
    const a = await AppPage.open(suite.firefox, suite.server.url, 'A (firefox)');
    const b = await AppPage.open(second, suite.server.url, 'B (firefox)');
    try {
      await pairByText(a, b);
      await chatBothWays(a, b, 'before');
      undo = await renumber();
      const delivered = await sendDuringOutage(a, b);
      await reportingBothSides([a, b], async () => {
        await Promise.all([waitLost(a), waitLost(b)]);
        await a.tap('make-reconnect');
        await carryOn(a, b);
      });
      await delivered();
      await talksAfter(a, b);
    } finally {
      await a.close();
      await b.close();
      await second.close();
    }
  }, 360_000);

  it('Chromium ↔ Chromium, both silent: the Starter makes a new connection instead of waiting for a restart code; the call is made again', async () => {
    const second = await launchChromium({ media: true, rawIp: true });
    const a = await AppPage.open(suite.chromium, suite.server.url, 'A (chromium)');
    const b = await AppPage.open(second, suite.server.url, 'B (chromium)');
    try {
      await pairByText(a, b);
      await chatBothWays(a, b, 'before');
      await videoCall(a, b);
      undo = await renumber();
      const delivered = await sendDuringOutage(a, b);
      // A is writing when its screen changes to "not answering": the box keeps the text and the focus.
      await a.type('chat-input', HALF_WRITTEN);
      await reportingBothSides([a, b], async () => {
        await Promise.all([
          a.waitScreen(':closed', RECOVERY_TIMEOUT_MS),
          b.waitScreen(':closed', RECOVERY_TIMEOUT_MS),
        ]);
        expect(await a.focusedField()).toEqual({ id: 'chat-input', value: HALF_WRITTEN });
        await a.tap('make-new-connection');
        await carryOn(a, b);
      });
      await delivered();
      await chatBothWays(a, b, 'after');
      await Promise.all([waitCallPhase(a, 'active'), waitCallPhase(b, 'active')]);
      await Promise.all([waitMoreFrames(a, FRAMES_AFTER), waitMoreFrames(b, FRAMES_AFTER)]);
      expect((await a.camera()).liveTracks).toBe(TRACKS_OF_ONE_CAPTURE);
      expect((await b.camera()).liveTracks).toBe(TRACKS_OF_ONE_CAPTURE);
      await noPageErrors(a, b);
    } finally {
      await a.close();
      await b.close();
      await second.close();
    }
  }, 360_000);

  it('one way down: Firefox hears nothing, and Chromium hears Firefox but gets no answers: both say so; Firefox makes a new connection, Chromium is told and reads its code', async () => {
    const a = await AppPage.open(suite.chromium, suite.server.url, 'A (chromium)');
    const b = await AppPage.open(suite.firefox, suite.server.url, 'B (firefox)');
    try {
      await pairByText(a, b);
      await chatBothWays(a, b, 'before');
      await setDeaf(b, true);
      await a.send('sent by A while B hears nothing');
      await b.waitScreen(':closed', RECOVERY_TIMEOUT_MS);
      // A still hears B's pings, but B answers none of A's: A says so too, and can read a code.
      const unanswered = await a.waitScreen(':closed', RECOVERY_TIMEOUT_MS);
      expect(unanswered.state).toBe(t('closed.peer-gone'));
      await b.tap('make-new-connection');
      await setDeaf(b, false);
      // Without being told, A would take B's old connection closing for B leaving.
      await a.waitFor(
        '"connection lost" (B replaces the connection)',
        (s) => s.state === LOST,
        RECOVERY_TIMEOUT_MS,
      );
      await reportingBothSides([a, b], () => carryOn(b, a));
      await b.waitTheirs('sent by A while B hears nothing');
      await a.waitDelivered('sent by A while B hears nothing');
      const copies = (await b.messages()).filter(
        (m) => !m.mine && m.text === 'sent by A while B hears nothing',
      );
      expect(copies).toHaveLength(1);
      await talksAfter(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  }, 240_000);
});
