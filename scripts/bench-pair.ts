// Pairing benchmark in real Chromium pages, driven through the UI:
//  - Start → code shown, with no STUN server, with a STUN server nobody answers, and with the default public one
//    (unreachable inside the private namespace, as on a network that blocks it);
//  - the code lengths (offer and answer text);
//  - Scan → answer screen, with Chromium's fake camera showing the offer QR.
// Times are taken inside the page (performance.now() at the tap and when the result enters the DOM), so the
// driver's round trips do not count. It prints numbers and asserts nothing.
//
//   scripts/netns-run npm run -s bench:pair [-- --runs N]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STUN } from '../src/app/settings.ts';
import { AppPage } from '../test/e2e/harness/app.ts';
import { serveApp } from '../test/e2e/harness/app-build.ts';
import { type BrowserHandle, launchChromium } from '../test/e2e/harness/browsers.ts';
import { FakeCamera } from '../test/e2e/harness/fake-camera.ts';
import { assertInNetns, NETNS_PEER_V4 } from '../test/e2e/harness/netns.ts';

const DEFAULT_RUNS = 5;
/** Nothing listens here (coturn, when a test runs it, uses 3478). */
const DEAD_STUN = `stun:${NETNS_PEER_V4}:3479`;

interface Timer {
  tapAt: number | null;
  doneAt: number | null;
  /** Scan only: when the screen left the Join prompt (the code was read). */
  readAt: number | null;
}

interface TimerSetup {
  /** data-testid of the button whose tap starts the clock. */
  readonly tap: string;
  /** The screen (`.screen[data-screen]`) that, with a code-text shown, stops it. */
  readonly screen: string;
  /** The screen left when the code was read (scan), or null. */
  readonly from: string | null;
}

/** Page side: timestamps the tap (capture phase, before the app's handler) and the result entering the DOM. */
function installTimer(setup: TimerSetup): void {
  const timer: Timer = { tapAt: null, doneAt: null, readAt: null };
  (window as unknown as { __benchTimer: Timer }).__benchTimer = timer;
  document.addEventListener(
    'click',
    (e) => {
      const target = e.target instanceof Element ? e.target.closest(`[data-testid="${setup.tap}"]`) : null;
      if (target !== null && timer.tapAt === null) timer.tapAt = performance.now();
    },
    { capture: true },
  );
  const check = (): void => {
    if (timer.tapAt === null) return;
    const screen = document.querySelector('.screen')?.getAttribute('data-screen') ?? null;
    if (setup.from !== null && timer.readAt === null && screen !== setup.from)
      timer.readAt = performance.now();
    if (
      timer.doneAt === null &&
      screen === setup.screen &&
      document.querySelector('[data-testid="code-text"]')
    ) {
      timer.doneAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
}

function readTimer(): Timer | null {
  return (window as unknown as { __benchTimer?: Timer }).__benchTimer ?? null;
}

async function timed(page: AppPage, setup: TimerSetup, action: () => Promise<void>): Promise<Timer> {
  await page.evaluate(installTimer, setup);
  await action();
  return page.poll(
    `the ${setup.screen} screen`,
    () => page.evaluate(readTimer, undefined),
    (t) => t !== null && t.tapAt !== null && t.doneAt !== null,
    30_000,
  ) as Promise<Timer>;
}

const since = (t: Timer, at: number | null): number =>
  at === null || t.tapAt === null ? Number.NaN : at - t.tapAt;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function row(label: string, xs: readonly number[], unit: string, digits = 0): string {
  const f = (x: number) => x.toFixed(digits);
  const all = xs.map(f).join(', ');
  return (
    `${label.padEnd(54)} median ${f(median(xs)).padStart(6)} ${unit}` +
    `   min ${f(Math.min(...xs))}  max ${f(Math.max(...xs))}   [${all}]`
  );
}

function runsFromArgs(argv: readonly string[]): number {
  const i = argv.indexOf('--runs');
  const n = i < 0 ? DEFAULT_RUNS : Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--runs wants a positive whole number, got ${argv[i + 1]}`);
  return n;
}

async function startToCode(
  browser: BrowserHandle,
  url: string,
  stun: string,
  runs: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await AppPage.open(browser, url, 'A', { stun });
    try {
      const t = await timed(page, { tap: 'start', screen: 'start:offer-ready', from: null }, () =>
        page.tap('start'),
      );
      out.push(since(t, t.doneAt));
    } finally {
      await page.close();
    }
  }
  return out;
}

async function main(): Promise<void> {
  assertInNetns();
  const runs = runsFromArgs(process.argv.slice(2));
  const server = await serveApp();
  const dir = await mkdtemp(join(tmpdir(), 'pigeon-bench-pair-'));
  const camera = new FakeCamera(join(dir, 'camera.y4m'));
  await camera.showNothing();
  const browsers: BrowserHandle[] = [];
  try {
    const a = await launchChromium();
    browsers.push(a);
    const b = await launchChromium({ fakeVideoFile: camera.file });
    browsers.push(b);
    console.log(
      `Pigeon pairing benchmark: Chromium (${a.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? '?'}), ${runs} runs each`,
    );
    console.log(`build ${server.dir}\n`);

    const configs: [string, string][] = [
      ['no STUN server', ''],
      [`dead STUN server (${DEAD_STUN})`, DEAD_STUN],
      [`default STUN server (${DEFAULT_STUN})`, DEFAULT_STUN],
    ];
    console.log('Start → code shown');
    for (const [label, stun] of configs)
      console.log(`  ${row(label, await startToCode(a, server.url, stun, runs), 'ms')}`);

    // Code lengths by text, between two pages that never asked for the camera (mDNS host names).
    const offers: number[] = [];
    const answers: number[] = [];
    for (let i = 0; i < runs; i++) {
      const pa = await AppPage.open(a, server.url, 'A');
      const pb = await AppPage.open(a, server.url, 'B');
      try {
        const offer = await pa.start();
        const answer = await pb.join(offer);
        offers.push(offer.length);
        answers.push(answer.length);
      } finally {
        await pa.close();
        await pb.close();
      }
    }
    console.log('\nCode lengths (text code, characters; no STUN server)');
    console.log(`  ${row('offer', offers, 'chars')}`);
    console.log(`  ${row('answer', answers, 'chars')}`);

    const scannedOffers: number[] = [];
    const scannedAnswers: number[] = [];
    const scanRead: number[] = [];
    const scanAnswer: number[] = [];
    for (let i = 0; i < runs; i++) {
      const pa = await AppPage.open(a, server.url, 'A');
      const pb = await AppPage.open(b, server.url, 'B');
      try {
        const offer = await pa.start();
        const png = join(dir, `offer-${i}.png`);
        await pa.screenshotOf('qr', png);
        await camera.show(png);
        await pb.tap('join');
        await pb.waitScreen('join:idle');
        const t = await timed(pb, { tap: 'scan', screen: 'join:answer-ready', from: 'join:idle' }, () =>
          pb.tap('scan'),
        );
        scanRead.push(since(t, t.readAt));
        scanAnswer.push(since(t, t.doneAt));
        const answer = (await pb.snapshot()).code ?? '';
        scannedOffers.push(offer.length);
        scannedAnswers.push(answer.length);
      } finally {
        await pa.close();
        await pb.close();
      }
    }
    console.log('\nCamera (fake camera showing the offer QR, 1280x720, no STUN server)');
    console.log(`  ${row('Scan → code read (Join prompt left)', scanRead, 'ms')}`);
    console.log(`  ${row('Scan → answer screen (incl. answer gathering)', scanAnswer, 'ms')}`);
    // A browser that holds camera permission (here: the fake-UI flag grants it) gathers raw host addresses
    // instead of mDNS names, so its answers are longer.
    console.log(`  ${row('offer scanned (text chars)', scannedOffers, 'chars')}`);
    console.log(`  ${row('answer (camera permission held: raw IP hosts)', scannedAnswers, 'chars')}`);
  } finally {
    for (const br of browsers) await br.close().catch(() => undefined);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
