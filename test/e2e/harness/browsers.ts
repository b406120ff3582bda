// Launches the system Chromium (playwright-core) and Firefox ESR (puppeteer-core over WebDriver BiDi) behind one
// small interface, so a test can run the same steps in either. Never downloads a browser.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page as PlaywrightPage } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser, type Page as PuppeteerPage } from 'puppeteer-core';
import { assertInNetns } from './netns.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const FIREFOX_PATH = '/usr/bin/firefox-esr';

export type BrowserKind = 'chromium' | 'firefox';

export interface LaunchOptions {
  /** Fake camera and microphone, permission granted without a prompt. */
  readonly media?: boolean;
  /** Host candidates carry raw IP addresses instead of mDNS `.local` names. */
  readonly rawIp?: boolean;
  /** Chromium only: a .y4m or .mjpeg file the fake camera plays (implies media). */
  readonly fakeVideoFile?: string;
  /** Chromium only: how many fake cameras (and microphones) it lists (implies media; 1 without). */
  readonly cameras?: number;
  /** BCP 47 tag for navigator.language and Accept-Language, e.g. 'de-DE'. */
  readonly locale?: string;
}

export interface PageHandle {
  /** Runs a self-contained function in the page (it is serialised: no closures, no imports). */
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  goto(url: string): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** The driver's own page: a playwright-core Page (chromium) or a puppeteer-core Page (firefox). */
  readonly raw: unknown;
  close(): Promise<void>;
}

export interface BrowserHandle {
  readonly kind: BrowserKind;
  /** `navigator.userAgent` of this browser, read once at launch. */
  readonly userAgent: string;
  /** The browser's profile directory (named in its main process's command line: benches find its pid by it). */
  readonly profileDir: string;
  newPage(url?: string): Promise<PageHandle>;
  close(): Promise<void>;
}

const CHROMIUM_BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function chromiumArgs(opts: LaunchOptions): string[] {
  const args = [...CHROMIUM_BASE_ARGS];
  if (opts.media === true || opts.fakeVideoFile !== undefined || opts.cameras !== undefined) {
    const count = opts.cameras === undefined ? '' : `=device-count=${opts.cameras}`;
    args.push(`--use-fake-device-for-media-stream${count}`, '--use-fake-ui-for-media-stream');
  }
  if (opts.fakeVideoFile !== undefined) args.push(`--use-file-for-fake-video-capture=${opts.fakeVideoFile}`);
  if (opts.rawIp === true) args.push('--disable-features=WebRtcHideLocalIpsWithMdns');
  if (opts.locale !== undefined) args.push(`--lang=${opts.locale}`);
  return args;
}

function firefoxPrefs(opts: LaunchOptions): Record<string, unknown> {
  const prefs: Record<string, unknown> = {};
  if (opts.media === true) {
    prefs['media.navigator.streams.fake'] = true;
    prefs['media.navigator.permission.disabled'] = true;
  }
  if (opts.rawIp === true) prefs['media.peerconnection.ice.obfuscate_host_addresses'] = false;
  if (opts.locale !== undefined) {
    prefs['intl.locale.requested'] = opts.locale;
    prefs['intl.accept_languages'] = opts.locale;
  }
  return prefs;
}

/**
 * Turns a page function and its argument into one expression. Transpilers (tsx's esbuild keepNames) wrap named
 * inner functions in `__name(...)`, a helper that does not exist in the page; the expression supplies it.
 * The argument travels as JSON, so it must be plain data.
 */
export function pageExpression<A>(fn: (arg: A) => unknown, arg: A): string {
  const json = arg === undefined ? 'undefined' : JSON.stringify(arg);
  return `(async () => { const __name = (f) => f; return (${fn.toString()})(${json}); })()`;
}

async function freshProfile(kind: BrowserKind): Promise<string> {
  return mkdtemp(join(tmpdir(), `pigeon-${kind}-profile-`));
}

function playwrightPage(page: PlaywrightPage): PageHandle {
  return {
    raw: page,
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> =>
      page.evaluate(pageExpression(fn, arg)) as Promise<R>,
    goto: async (url) => {
      await page.goto(url);
    },
    screenshot: async (path) => {
      await page.screenshot({ path });
    },
    close: () => page.close(),
  };
}

function puppeteerPage(page: PuppeteerPage): PageHandle {
  return {
    raw: page,
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> =>
      page.evaluate(pageExpression(fn, arg)) as Promise<R>,
    goto: async (url) => {
      await page.goto(url);
    },
    screenshot: async (path) => {
      await page.screenshot({ path: path as `${string}.png` });
    },
    close: () => page.close(),
  };
}

async function readUserAgent(page: PageHandle): Promise<string> {
  const ua = await page.evaluate(() => navigator.userAgent, undefined);
  await page.close();
  return ua;
}

export async function launchChromium(opts: LaunchOptions = {}): Promise<BrowserHandle> {
  assertInNetns();
  const profile = await freshProfile('chromium');
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: chromiumArgs(opts),
      ...(opts.locale === undefined ? {} : { locale: opts.locale }),
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  const newPage = async (url?: string): Promise<PageHandle> => {
    const page = playwrightPage(await context.newPage());
    if (url !== undefined) await page.goto(url);
    return page;
  };
  const userAgent = await readUserAgent(await newPage());
  return {
    kind: 'chromium',
    userAgent,
    profileDir: profile,
    newPage,
    close: async () => {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

export async function launchFirefox(opts: LaunchOptions = {}): Promise<BrowserHandle> {
  assertInNetns();
  if (opts.fakeVideoFile !== undefined) {
    throw new Error('launchFirefox: fakeVideoFile is not supported (Firefox fakes a generated pattern only)');
  }
  const profile = await freshProfile('firefox');
  let browser: PuppeteerBrowser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: firefoxPrefs(opts),
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  const newPage = async (url?: string): Promise<PageHandle> => {
    const page = puppeteerPage(await browser.newPage());
    if (url !== undefined) await page.goto(url);
    return page;
  };
  const userAgent = await readUserAgent(await newPage());
  return {
    kind: 'firefox',
    userAgent,
    profileDir: profile,
    newPage,
    close: async () => {
      try {
        await browser.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

export function launchBrowser(kind: BrowserKind, opts: LaunchOptions = {}): Promise<BrowserHandle> {
  return kind === 'chromium' ? launchChromium(opts) : launchFirefox(opts);
}
