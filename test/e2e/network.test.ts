// A network change in the middle of a call: the address the connection uses is removed and another added
// (inside the private namespace). Chat sent during the outage must arrive once, and the call must go on.
//
// 1. One address moves, another path survives: the link comes back with no person involved. (Chromium's ICE
//    moves to another working pair by itself; the app restarts ICE in-band if the connection reports
//    'disconnected' or 'failed'.) Both browsers run with the fake camera, so each gathers every address.
// 2. Every address changes: nothing the connection knows survives, both sides see the peer go quiet, and the
//    reconnect codes are carried through the UI. After a call the reconnect code is a new connection's offer
//    (an ICE restart offer would carry every audio/video section: ~1,700 characters): it stays short, and the
//    chat, the call (made again by itself) and a file transfer in flight go on.
//
// Chromium on both ends: Firefox never leaves a dead selected pair (measured: 'disconnected' for good, as the
// controlling and as the controlled agent), and ~20 s later its ICE fails and it closes its data channels, so
// a Firefox session cannot be resumed by an ICE restart; carry-on.test.ts covers it (a new connection).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, launchBrowser } from './harness/browsers.ts';
import { quarterSent, recordObjectUrls, source, verifiedBoth } from './harness/files.ts';
import { callPhase, livePc, videoCall, waitCallPhase, waitMoreFrames } from './harness/live.ts';
import { assertInNetns } from './harness/netns.ts';
import { type MovedAddress, moveAddress, renumber, selectedPair } from './harness/network.ts';
import { RECOVERY_TIMEOUT_MS, sendDuringOutage } from './harness/outage.ts';

/** Frames decoded after recovery that show the call going on (fake camera: 30 fps). */
const FRAMES_AFTER = 30;
const MB = 1024 * 1024;
const FILE_SIZE = 60 * MB;
const TRANSFER_TIMEOUT_MS = 240_000;
/** A compact code with every address of these browsers is ~150 characters; a full description with media ~1,700. */
const SHORT_CODE_CHARS = 400;

let server: AppServer;
let dir: string;
const browsers: BrowserHandle[] = [];
let undo: (() => Promise<void>) | undefined;

beforeAll(async () => {
  assertInNetns();
  dir = await mkdtemp(join(tmpdir(), 'pigeon-network-e2e-'));
  server = await serveApp();
  for (let i = 0; i < 2; i++) browsers.push(await launchBrowser('chromium', { media: true, rawIp: true }));
});

afterEach(async () => {
  await undo?.();
  undo = undefined;
});

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function pairInCall(): Promise<[AppPage, AppPage]> {
  const a = await AppPage.open(browsers[0] as BrowserHandle, server.url, 'A (chromium)');
  const b = await AppPage.open(browsers[1] as BrowserHandle, server.url, 'B (chromium)');
  await Promise.all([a.evaluate(recordObjectUrls, undefined), b.evaluate(recordObjectUrls, undefined)]);
  await pairByText(a, b);
  await chatBothWays(a, b, 'before');
  await videoCall(a, b);
  return [a, b];
}

/**
 * The call goes on: active, the peer's video decoded on both sides, on the same connection (or, carried on,
 * on the new one, the old one closed).
 */
async function callGoesOn(
  a: AppPage,
  b: AppPage,
  on: 'same connection' | 'new connection' = 'same connection',
) {
  await Promise.all([waitCallPhase(a, 'active'), waitCallPhase(b, 'active')]);
  await Promise.all([waitMoreFrames(a, FRAMES_AFTER), waitMoreFrames(b, FRAMES_AFTER)]);
  await chatBothWays(a, b, 'after');
  const pcs = await Promise.all([a.peerConnections(), b.peerConnections()]);
  const count = on === 'same connection' ? 1 : 2;
  expect(pcs.map((p) => p.length)).toEqual([count, count]);
  if (on === 'new connection') expect(pcs.map((p) => p[0]?.connectionState)).toEqual(['closed', 'closed']);
  expect(await a.pageErrors()).toEqual([]);
  expect(await b.pageErrors()).toEqual([]);
}

/**
 * Carries the reconnect codes by hand: the Joiner makes one, the Starter answers, the Joiner reads it. Returns
 * the two codes' lengths.
 */
async function reconnectByCodes(starter: AppPage, joiner: AppPage): Promise<[number, number]> {
  await Promise.all([
    starter.waitScreen(':closed', RECOVERY_TIMEOUT_MS),
    joiner.waitScreen(':closed', RECOVERY_TIMEOUT_MS),
  ]);
  // The call in progress stays on screen while the peer is silent, so it can be ended (camera released).
  expect([await callPhase(starter), await callPhase(joiner)]).toEqual(['active', 'active']);
  await joiner.tap('make-reconnect');
  const offer = (await joiner.waitFor('the reconnect code', (s) => (s.code ?? '') !== '')).code ?? '';
  await starter.enterCode(offer);
  const answer = (await starter.waitFor('the reconnect answer', (s) => (s.code ?? '') !== '')).code ?? '';
  await joiner.enterCode(answer);
  await Promise.all([starter.waitConnected(RECOVERY_TIMEOUT_MS), joiner.waitConnected(RECOVERY_TIMEOUT_MS)]);
  return [offer.length, answer.length];
}

describe('network change during a call (Chromium ↔ Chromium)', () => {
  it('the address in use moves: the link comes back by itself, chat from the outage arrives once, the call goes on', async () => {
    const [a, b] = await pairInCall();
    try {
      const path = await selectedPair(a);
      expect(path.local).not.toBe('');
      const moved: MovedAddress = await moveAddress(path.local);
      undo = moved.restore;
      const changed = Date.now();
      const delivered = await sendDuringOutage(a, b);
      await delivered();
      const recovered = Date.now() - changed;
      expect((await a.snapshot()).screen).toBe('start:connected');
      expect((await b.snapshot()).screen).toBe('join:connected');
      await callGoesOn(a, b);
      const now = await selectedPair(a);
      console.info(
        `measure: address moved ${moved.from} → ${moved.to} on ${moved.dev}: path ${path.local}↔${path.remote} → ` +
          `${now.local}↔${now.remote}; chat from the outage delivered both ways ${recovered} ms after the change`,
      );
      expect(now.local).not.toBe(moved.from);
    } finally {
      await a.close();
      await b.close();
    }
  }, 240_000);

  it('every address changes mid-transfer: reconnect codes through the UI; chat, the call and the file go on', async () => {
    const [a, b] = await pairInCall();
    try {
      const file = await source(dir, 'moving.bin', FILE_SIZE);
      const { id, held } = await quarterSent(a, b, file, TRANSFER_TIMEOUT_MS);
      const before = await Promise.all([livePc(a), livePc(b)]);
      undo = await renumber();
      const delivered = await sendDuringOutage(a, b);
      const lengths = await reconnectByCodes(a, b);
      await delivered();
      console.info(`reconnect codes after a call: offer ${lengths[0]}, answer ${lengths[1]} characters`);
      // Compact codes, as short as the first exchange's with these addresses, not full descriptions.
      for (const n of lengths) expect(n).toBeLessThan(SHORT_CODE_CHARS);
      const after = await Promise.all([livePc(a), livePc(b)]);
      expect(after[0]?.localUfrag).not.toBe(before[0]?.localUfrag);
      expect(after[1]?.localUfrag).not.toBe(before[1]?.localUfrag);
      // A new connection on each side, with the session's certificate; the call is made again on it.
      expect((await a.peerConnections()).length).toBe(2);
      expect((await b.peerConnections()).length).toBe(2);
      expect(after.map((p) => p.fingerprint)).toEqual(before.map((p) => p.fingerprint));
      expect(before[0]?.fingerprint).not.toBe('');

      const sent = await verifiedBoth(a, b, id, file, TRANSFER_TIMEOUT_MS);
      const [from = 0] = sent.resumedFrom;
      console.info(
        `renumbered mid-transfer: ${held.bytes} received when the addresses changed, resumed from ${from}, ` +
          `sent ${sent.sent} for ${FILE_SIZE}`,
      );
      expect(sent.resumedFrom.length).toBeGreaterThanOrEqual(1);
      expect(sent.sent).toBeLessThan(2 * FILE_SIZE);
      expect(sent.sent - FILE_SIZE).toBeLessThan(FILE_SIZE - held.bytes);
      await callGoesOn(a, b, 'new connection');
    } finally {
      await a.close();
      await b.close();
    }
  }, 420_000);
});
