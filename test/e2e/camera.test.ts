// Codes carried by picture: the camera (Chromium's fake camera playing a video of the other screen's QR) and a
// picked picture file (a screenshot of the QR). Both directions go by camera: each Chromium's fake camera file is
// rewritten before its Scan (Chromium opens the file when a capture starts), so A, whose page must stay open
// from Start to the answer, can still point its camera at B's answer QR once it exists.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, type CameraInfo, CODE_TIMEOUT_MS, chatBothWays, t } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, launchBrowser } from './harness/browsers.ts';
import { waitShown } from './harness/by-role.ts';
import { FakeCamera } from './harness/fake-camera.ts';
import { assertInNetns } from './harness/netns.ts';

let server: AppServer;
let dir: string;
const browsers: BrowserHandle[] = [];
let chromiumA: BrowserHandle;
let chromiumB: BrowserHandle;
let cameraA: FakeCamera;
let cameraB: FakeCamera;

beforeAll(async () => {
  assertInNetns();
  server = await serveApp();
  dir = await mkdtemp(join(tmpdir(), 'pigeon-e2e-camera-'));
  cameraA = new FakeCamera(join(dir, 'camera-a.y4m'));
  cameraB = new FakeCamera(join(dir, 'camera-b.y4m'));
  await Promise.all([cameraA.showNothing(), cameraB.showNothing()]);
  [chromiumA, chromiumB] = await Promise.all([
    launchBrowser('chromium', { fakeVideoFile: cameraA.file }),
    launchBrowser('chromium', { fakeVideoFile: cameraB.file }),
  ]);
  browsers.push(chromiumA, chromiumB);
});

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const released = (c: CameraInfo) => c.streams > 0 && c.liveTracks === 0;

/** Taps Scan and waits until the camera is on: a live track shown in the visible <video>. */
async function scanAndWaitLive(page: AppPage): Promise<void> {
  const before = (await page.camera()).streams;
  await page.tap('scan');
  await page.poll(
    'the camera on and shown',
    () => page.camera(),
    (c) => c.streams > before && c.liveTracks === 1 && c.videoHidden === false && c.videoHasSource === true,
    CODE_TIMEOUT_MS,
  );
}

describe('camera', () => {
  it('Stop and Back turn the camera off while nothing has been read', async () => {
    await cameraB.showNothing();
    const b = await AppPage.open(chromiumB, server.url, 'B');
    try {
      await b.tap('join');
      await b.waitScreen('join:idle');
      await scanAndWaitLive(b);
      const stopLabel = await b.evaluate(
        () => document.querySelector('[data-testid="scan"]')?.textContent ?? null,
        undefined,
      );
      expect(stopLabel).toBe(t('input.stopScan'));
      // Tap again: Stop.
      await b.tap('scan');
      const stopped = await b.poll('the camera off', () => b.camera(), released, CODE_TIMEOUT_MS);
      expect(stopped).toEqual({ streams: 1, liveTracks: 0, videoHidden: true, videoHasSource: false });
      expect((await b.snapshot()).screen).toBe('join:idle');

      // Scanning again, then leaving the screen with Back.
      await scanAndWaitLive(b);
      await b.tap('back');
      await b.waitScreen('home');
      const left = await b.poll('the camera off after Back', () => b.camera(), released, CODE_TIMEOUT_MS);
      expect(left.streams).toBe(2);
      expect(left.liveTracks).toBe(0);
      expect(await b.pageErrors()).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('B scans the offer QR, A scans the answer QR; each camera is off after its read; they chat', async () => {
    await Promise.all([cameraA.showNothing(), cameraB.showNothing()]);
    const a = await AppPage.open(chromiumA, server.url, 'A');
    const b = await AppPage.open(chromiumB, server.url, 'B');
    try {
      const offer = await a.start();
      const offerPng = join(dir, 'offer.png');
      await a.screenshotOf('qr', offerPng);
      await cameraB.show(offerPng);

      // B: Join → Scan; the scan reads A's QR and B goes on to its answer by itself.
      await b.tap('join');
      await b.waitScreen('join:idle');
      const scanTapped = Date.now();
      await b.tap('scan');
      const answer = await b.waitAnswerCode();
      const bScanMs = Date.now() - scanTapped;
      // Both browsers here were allowed the camera at launch (fake UI): Chromium then shows its addresses in
      // every code, and each page says so where its code would be copied. (Pages with no camera allowed keep
      // mDNS names and say nothing: pairing.test.)
      await waitShown(b, t('code.localAddresses'));
      await waitShown(a, t('code.localAddresses'));
      const bCamera = await b.poll('B camera off', () => b.camera(), released, CODE_TIMEOUT_MS);
      expect(bCamera.streams).toBe(1);
      expect(bCamera.liveTracks).toBe(0);

      // A's camera first sees nothing: it keeps scanning, and Stop turns it off.
      await scanAndWaitLive(a);
      expect((await a.snapshot()).screen).toBe('start:offer-ready');
      await a.tap('scan');
      expect(await a.poll('A camera off', () => a.camera(), released, CODE_TIMEOUT_MS)).toEqual({
        streams: 1,
        liveTracks: 0,
        videoHidden: true,
        videoHasSource: false,
      });

      // Now A points its camera at B's answer QR.
      const answerPng = join(dir, 'answer.png');
      await b.screenshotOf('qr', answerPng);
      await cameraA.show(answerPng);
      const aTapped = Date.now();
      await a.tap('scan');
      await Promise.all([a.waitConnected(), b.waitConnected()]);
      const aScanToConnectedMs = Date.now() - aTapped;
      const aCamera = await a.poll('A camera off', () => a.camera(), released, CODE_TIMEOUT_MS);
      expect(aCamera.streams).toBe(2);
      expect(aCamera.liveTracks).toBe(0);

      await chatBothWays(a, b, 'by camera');
      expect(await a.pageErrors()).toEqual([]);
      expect(await b.pageErrors()).toEqual([]);
      console.log(
        `camera: offer ${offer.length} chars, answer ${answer.length} chars; B Scan → answer screen ${bScanMs} ms; ` +
          `A Scan → chat screen ${aScanToConnectedMs} ms`,
      );
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('picture of a QR', () => {
  it('a picture without a code, and a file that is no picture, are refused with their own messages', async () => {
    const b = await AppPage.open(chromiumB, server.url, 'B');
    try {
      await b.tap('join');
      await b.waitScreen('join:idle');
      const blankPng = join(dir, 'blank.png');
      await b.screenshotOf('input-panel', blankPng);
      await b.pickFile('code-image', blankPng);
      await b.waitFor('the no-code message', (s) => s.inputError === t('input.imageNoCode'), CODE_TIMEOUT_MS);
      const notImage = join(dir, 'not-an-image.png');
      await writeFile(notImage, 'this is text, not a PNG\n');
      await b.pickFile('code-image', notImage);
      await b.waitFor(
        'the unreadable message',
        (s) => s.inputError === t('input.imageFailed'),
        CODE_TIMEOUT_MS,
      );
      expect((await b.snapshot()).screen).toBe('join:idle');
    } finally {
      await b.close();
    }
  });

  for (const [aName, bName] of [
    ['chromium', 'chromium'],
    ['chromium', 'firefox'],
  ] as const) {
    it(`${aName} (A) → ${bName} (B): B picks a screenshot of A's QR, A picks one of B's answer QR`, async () => {
      const firefox = bName === 'firefox' ? await launchBrowser('firefox') : null;
      if (firefox) browsers.push(firefox);
      const a = await AppPage.open(chromiumA, server.url, 'A');
      const b = await AppPage.open(firefox ?? chromiumB, server.url, 'B');
      try {
        await a.start();
        const offerPng = join(dir, `offer-picture-${bName}.png`);
        await a.screenshotOf('qr', offerPng);
        await b.tap('join');
        await b.waitScreen('join:idle');
        await b.pickFile('code-image', offerPng);
        await b.waitAnswerCode();
        const answerPng = join(dir, `answer-picture-${bName}.png`);
        await b.screenshotOf('qr', answerPng);
        await a.pickFile('code-image', answerPng);
        await Promise.all([a.waitConnected(), b.waitConnected()]);
        await chatBothWays(a, b, 'by picture');
        expect(await a.pageErrors()).toEqual([]);
        expect(await b.pageErrors()).toEqual([]);
        // No camera was involved.
        expect((await a.camera()).streams).toBe(0);
        expect((await b.camera()).streams).toBe(0);
      } finally {
        await a.close();
        await b.close();
        if (firefox) {
          await firefox.close();
          browsers.splice(browsers.indexOf(firefox), 1);
        }
      }
    });
  }
});
