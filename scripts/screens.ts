// Renders every screen and state of the real app, driven as a person would with two pages paired in one
// Chromium (fake camera and microphone), at phone (390×844 @3x) and desktop (1280×800) sizes, light and dark,
// English and Chinese, into a folder of PNGs: `<nn>-<state>.<size>.<scheme>.<lang>.png`.
//
//   npm run -s screens [-- --out DIR] [-- --only REGEX] [-- --walk group]
//
// --only keeps the pictures whose file name matches (the whole walk still runs); --walk group walks the group's
// screens only (scripts/screens-group.ts). Must run inside
// scripts/netns-run (the npm script does that); `tc` throttles loopback so a transfer can be seen in progress.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CDPSession, Page as PlaywrightPage } from 'playwright-core';
import { MAX_CHAT_CHARS } from '../src/rtc/index.ts';
import { AppPage, CODE_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, sleep, t } from '../test/e2e/harness/app.ts';
import { REPO_ROOT, serveApp } from '../test/e2e/harness/app-build.ts';
import { type BrowserHandle, launchChromium } from '../test/e2e/harness/browsers.ts';
import { press, waitShown } from '../test/e2e/harness/by-role.ts';
import { rows, source, waitRow } from '../test/e2e/harness/files.ts';
import { MEDIA_TIMEOUT_MS, waitCallPhase } from '../test/e2e/harness/live.ts';
import { assertInNetns } from '../test/e2e/harness/netns.ts';
import { groupWalk } from './screens-group.ts';
import { rememberedWalk } from './screens-remembered.ts';

const run = promisify(execFile);

const SIZES = [
  { name: 'phone', width: 390, height: 844, deviceScaleFactor: 3, mobile: true },
  { name: 'desktop', width: 1280, height: 800, deviceScaleFactor: 1, mobile: false },
] as const;
const SCHEMES = ['light', 'dark'] as const;
const LANGS = ['en', 'zh-CN'] as const;
/** Enough for a re-rendered screen's lazy QR and a layout pass after a size change. */
const SETTLE_MS = 150;
/** Throttled loopback while a transfer is shown in progress: slow enough for every picture of it. */
const THROTTLE = ['rate', '1mbit', 'burst', '32kb', 'latency', '100ms'];
const BIG_FILE_BYTES = 16 * 1024 * 1024;
/** The 12 s silence threshold, with room. */
const SILENCE_MS = 25_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * The whole page at the emulated size and pixel ratio, straight through the DevTools protocol (Playwright's own
 * screenshot lays the page out again at its viewport, not at the metrics set here).
 */
async function fullPage(cdp: CDPSession, width: number): Promise<Buffer> {
  const { cssContentSize, cssLayoutViewport } = await cdp.send('Page.getLayoutMetrics');
  const height = Math.max(cssContentSize.height, cssLayoutViewport.clientHeight);
  // The content's own width: a page wider than the screen shows as a wider picture.
  const clipWidth = Math.max(width, Math.ceil(cssContentSize.width));
  const { data } = await cdp.send('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: clipWidth, height: Math.ceil(height), scale: 1 },
  });
  return Buffer.from(data, 'base64');
}

interface Shot {
  readonly still?: () => Promise<boolean>;
  readonly prepare?: () => Promise<void>;
}

class Camera {
  private n = 0;
  private readonly cdp = new Map<PlaywrightPage, CDPSession>();
  readonly taken: string[] = [];
  constructor(
    readonly out: string,
    private readonly only: RegExp | null,
  ) {}

  private async session(page: PlaywrightPage): Promise<CDPSession> {
    let s = this.cdp.get(page);
    if (s === undefined) {
      s = await page.context().newCDPSession(page);
      this.cdp.set(page, s);
    }
    return s;
  }

  /**
   * Every variant of what `app` shows now. `still` says whether the state is still the one to picture;
   * `prepare` redoes what a language switch undoes (it rebuilds the screen: an open panel closes).
   */
  async shoot(
    app: AppPage,
    state: string,
    { still = async () => true, prepare = async () => undefined }: Shot = {},
  ): Promise<void> {
    this.n++;
    const stem = `${String(this.n).padStart(2, '0')}-${state}`;
    const page = app.page.raw as PlaywrightPage;
    const cdp = await this.session(page);
    for (const lang of LANGS) {
      const names = SCHEMES.flatMap((sc) => SIZES.map((sz) => `${stem}.${sz.name}.${sc}.${lang}`));
      if (this.only !== null && !names.some((n) => this.only?.test(n))) continue;
      await page.locator('[data-testid="language"]').selectOption(lang);
      await prepare();
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const size of SIZES) {
          const name = `${stem}.${size.name}.${scheme}.${lang}`;
          if (this.only !== null && !this.only.test(name)) continue;
          const { name: _, ...metrics } = size;
          await cdp.send('Emulation.setDeviceMetricsOverride', metrics);
          await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null);
          await sleep(SETTLE_MS);
          if (!(await still())) {
            console.warn(`${name}: the state moved on before this picture; skipped`);
            continue;
          }
          const path = join(this.out, `${name}.png`);
          await writeFile(path, await fullPage(cdp, size.width));
          this.taken.push(path);
        }
      }
    }
    await page.locator('[data-testid="language"]').selectOption('en');
  }
}

const screenIs = (app: AppPage, screen: string) => async () => (await app.snapshot()).screen === screen;

/** Two pages: A started, B joined and showing its answer. */
async function startAndJoin(browser: BrowserHandle, url: string, tag: string) {
  const a = await AppPage.open(browser, url, `A ${tag}`);
  const b = await AppPage.open(browser, url, `B ${tag}`);
  const offer = await a.start();
  const answer = await b.join(offer);
  return { a, b, offer, answer };
}

async function paired(browser: BrowserHandle, url: string, tag: string) {
  const { a, b } = await startAndJoin(browser, url, tag);
  await a.enterCode((await b.snapshot()).code ?? '');
  await Promise.all([a.waitConnected(), b.waitConnected()]);
  return { a, b };
}

async function walk(cam: Camera, browser: BrowserHandle, url: string, scratch: string): Promise<void> {
  // Home, settings, Start, Join and the code errors a person meets there.
  const { a, b, offer, answer } = await startAndJoin(browser, url, 'first');
  const home = await AppPage.open(browser, url, 'home');
  await cam.shoot(home, 'home');
  await home.tap('settings');
  await home.waitScreen('settings', CODE_TIMEOUT_MS);
  await cam.shoot(home, 'settings');
  await home.tap('back');
  await home.tap('join');
  await home.waitScreen('join:idle', CODE_TIMEOUT_MS);
  await cam.shoot(home, 'join');
  const codeErrors: [string, string][] = [
    ['not-a-code', 'hello, is this the code?'],
    ['damaged', `${offer.slice(0, 20)}${offer[20] === 'A' ? 'B' : 'A'}${offer.slice(21)}`],
    ['cut-short', offer.slice(0, Math.floor(offer.length / 2))],
    ['expected-offer', answer],
  ];
  for (const [kind, text] of codeErrors) {
    await home.enterCode(text);
    await home.poll(
      `the ${kind} error`,
      () => home.snapshot(),
      (s) => (s.inputError ?? '') !== '',
      CODE_TIMEOUT_MS,
    );
    await cam.shoot(home, `join-error-${kind}`);
  }
  await home.close();
  await cam.shoot(a, 'start-code');
  await a.enterCode(offer);
  await a.poll(
    'the expected-answer error',
    () => a.snapshot(),
    (s) => (s.inputError ?? '') !== '',
    CODE_TIMEOUT_MS,
  );
  await cam.shoot(a, 'start-error-expected-answer');
  await cam.shoot(b, 'join-answer');

  // Connecting: B's page is gone, so A's checks go unanswered until it gives up (10 s) and says why.
  await b.close();
  await a.enterCode(answer);
  await a.waitScreen('start:connecting', CODE_TIMEOUT_MS);
  await cam.shoot(a, 'connecting', { still: screenIs(a, 'start:connecting') });
  const failed = await a.waitFor('a failure', (s) => (s.screen ?? '').endsWith(':failed'), CODE_TIMEOUT_MS);
  console.log(`failed screen: ${failed.state}`);
  await cam.shoot(a, 'failed');
  await a.close();

  // A connected chat, with its error and the details open.
  const p = await paired(browser, url, 'chat');
  await p.a.send('Hi! Are you there?');
  await p.b.send('Yes — 你好！Sending you the photos now.');
  await p.a.waitDelivered('Hi! Are you there?');
  await p.b.waitDelivered('Yes — 你好！Sending you the photos now.');
  await p.a.send('Great, thanks. A longer message to see how a few lines wrap inside the bubble on a phone.');
  await cam.shoot(p.a, 'chat');
  await p.a.type('chat-input', 'x'.repeat(MAX_CHAT_CHARS + 1));
  await p.a.tap('chat-send');
  await sleep(SETTLE_MS);
  await cam.shoot(p.a, 'chat-error-too-long');
  await p.a.type('chat-input', '');
  const openDetails = async () => {
    const open = await p.a.evaluate(
      () => document.querySelector<HTMLDetailsElement>('[data-testid="details"]')?.open === true,
      undefined,
    );
    if (open) return;
    await p.a.tapCss('[data-testid="details"] summary');
    await sleep(1_500);
  };
  // The language switch after the last picture rebuilds the screen, which folds the details again.
  await cam.shoot(p.a, 'chat-details', { prepare: openDetails });

  // Files: offered, in progress (loopback throttled), done.
  const small = await source(scratch, 'holiday-photo.jpg', 300_000);
  const big = await source(scratch, 'video-of-the-trip.mp4', BIG_FILE_BYTES);
  await p.b.pickFile('files-pick', small.path);
  await waitRow(p.a, 'the small offer', (r) => r.name === small.name && r.status === 'offered');
  await cam.shoot(p.a, 'files-offered-in');
  await cam.shoot(p.b, 'files-offered-out');
  await p.a.tapCss('[data-testid="transfer"] [data-testid="transfer-accept"]');
  await waitRow(p.a, 'the small file done', (r) => r.name === small.name && r.status === 'done');
  await p.b.pickFile('files-pick', big.path);
  await waitRow(p.a, 'the big offer', (r) => r.name === big.name && r.status === 'offered');
  await run('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'tbf', ...THROTTLE]);
  try {
    const bigAccept = `[data-testid="transfer"][data-status="offered"] [data-testid="transfer-accept"]`;
    await p.a.tapCss(bigAccept);
    await waitRow(p.a, 'the big file moving', (r) => r.name === big.name && r.bytes > 0);
    const moving = (app: AppPage) => async () =>
      (await rows(app)).some((r) => r.name === big.name && r.bytes < r.size);
    await cam.shoot(p.a, 'files-receiving', { still: moving(p.a) });
    await cam.shoot(p.b, 'files-sending', { still: moving(p.a) });
  } finally {
    await run('tc', ['qdisc', 'del', 'dev', 'lo', 'root']);
  }
  await waitRow(p.b, 'the big file delivered', (r) => r.name === big.name && r.status === 'done', 120_000);
  await waitRow(p.a, 'the big file received', (r) => r.name === big.name && r.status === 'done');
  await cam.shoot(p.a, 'files-done-in');
  await cam.shoot(p.b, 'files-done-out');

  // Calls: video (ringing both ways, in the call, mic and camera off), then audio only.
  await p.a.tap('call-video');
  await waitCallPhase(p.b, 'incoming');
  await cam.shoot(p.a, 'call-calling');
  await cam.shoot(p.b, 'call-incoming');
  await p.b.tap('call-accept');
  await Promise.all([waitCallPhase(p.a, 'active'), waitCallPhase(p.b, 'active')]);
  await sleep(2_000);
  await cam.shoot(p.a, 'call-video');
  await p.b.tap('call-mic');
  await p.b.tap('call-cam');
  await sleep(1_000);
  await cam.shoot(p.b, 'call-video-mic-cam-off');
  await cam.shoot(p.a, 'call-video-peer-muted');
  await p.b.tap('call-end');
  await waitCallPhase(p.a, 'idle');
  await cam.shoot(p.a, 'call-ended');
  await p.b.tap('call-audio');
  await waitCallPhase(p.a, 'incoming');
  await p.a.tap('call-accept');
  await Promise.all([waitCallPhase(p.a, 'active'), waitCallPhase(p.b, 'active')]);
  await sleep(1_000);
  await cam.shoot(p.a, 'call-audio');
  await p.a.tap('call-end');
  await waitCallPhase(p.b, 'idle', MEDIA_TIMEOUT_MS);

  // The other device stops answering (B deaf): both offer reconnect codes.
  await p.b.evaluate(() => {
    (window as unknown as { __pigeonProbe: { deaf: boolean } }).__pigeonProbe.deaf = true;
  }, undefined);
  await Promise.all([p.a.waitScreen('start:closed', SILENCE_MS), p.b.waitScreen('join:closed', SILENCE_MS)]);
  await cam.shoot(p.a, 'closed-peer-gone-starter');
  await cam.shoot(p.b, 'closed-peer-gone-joiner');
  await p.b.tap('make-reconnect');
  await p.b.poll(
    'a reconnect code',
    () => p.b.fieldValue('code-text'),
    (c) => (c ?? '') !== '',
    CODE_TIMEOUT_MS,
  );
  await cam.shoot(p.b, 'reconnect-code');
  await p.a.close();
  await p.b.close();

  // Hanging up, seen from both sides.
  const q = await paired(browser, url, 'hangup');
  await q.a.tap('hangup');
  await Promise.all([q.a.waitScreen('start:closed'), q.b.waitScreen('join:closed')]);
  await cam.shoot(q.a, 'closed-local-hangup');
  await cam.shoot(q.b, 'closed-remote-hangup');
  await q.a.close();
  await q.b.close();

  // The safety words: both people said they match; in another pair one said they differ.
  const v = await paired(browser, url, 'verified');
  await press(v.a, t('safety.match'));
  await press(v.b, t('safety.match'));
  await waitShown(v.a, t('safety.verified'), MESSAGE_TIMEOUT_MS);
  await cam.shoot(v.a, 'safety-verified');
  await v.a.close();
  await v.b.close();
  // Remembered: both tabs are one device (one certificate), so the next pair knows itself.
  await rememberedWalk(
    (app, state, opts) => cam.shoot(app, state, opts),
    (tag) => paired(browser, url, tag),
    browser,
    url,
  );
  const d = await paired(browser, url, 'differ');
  await press(d.a, t('safety.differ'));
  await waitShown(d.b, t('closed.words-differ'), MESSAGE_TIMEOUT_MS);
  await cam.shoot(d.a, 'closed-words-differ');
  await d.a.close();
  await d.b.close();

  // A code opened as a link while its tab waits: the new tab hands it over.
  const r = await startAndJoin(browser, url, 'handoff');
  const link = await r.b.codeLink();
  const opened = await AppPage.open(browser, link.slice(0, link.indexOf('#')), 'link', {
    hash: link.slice(link.indexOf('#')),
  });
  await opened.waitScreen('handed-off', CODE_TIMEOUT_MS);
  await cam.shoot(opened, 'handed-off');
}

async function main(): Promise<void> {
  assertInNetns();
  const out = arg('--out') ?? join(REPO_ROOT, 'screens');
  const only = arg('--only');
  await mkdir(out, { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'pigeon-screens-'));
  const server = await serveApp();
  const browser = await launchChromium({ media: true });
  const cam = new Camera(out, only === undefined ? null : new RegExp(only));
  const started = Date.now();
  try {
    if (arg('--walk') !== 'group') await walk(cam, browser, server.url, scratch);
    await groupWalk(cam, browser, server.url);
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(`${cam.taken.length} pictures in ${Math.round((Date.now() - started) / 1000)} s: ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
