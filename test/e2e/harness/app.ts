// Page objects for the built app, driven like a person would (taps, typing, picking a file) through either
// driver: playwright-core for Chromium, puppeteer-core (WebDriver BiDi) for Firefox. A small probe, installed
// before the app's own code runs, records what the UI cannot show: every RTCPeerConnection the app made, every
// camera stream it opened, and uncaught page errors.
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { en } from '../../../src/ui/i18n/en.ts';
import { type BrowserHandle, type BrowserKind, type PageHandle, pageExpression } from './browsers.ts';

export const SETTINGS_KEY = 'pigeon.settings.v1';
/** Polling interval for waits: light on the two shared cores. */
export const POLL_MS = 200;
/** A code is shown within 3 s by design; this only bounds a broken build. */
export const CODE_TIMEOUT_MS = 20_000;
export const CONNECT_TIMEOUT_MS = 30_000;
export const MESSAGE_TIMEOUT_MS = 10_000;
/** How long a tap on Send has to show the message before the harness looks whether it landed. */
const RETAP_AFTER_MS = 1_000;

export type Catalogue = typeof en;
export const EN: Catalogue = en;

/** The app's English sentence for a key, with {placeholders} filled. */
export function t(key: keyof Catalogue, vars: Record<string, string | number> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

export interface Snapshot {
  /** `view:session-kind` as the shell records it on `.screen[data-screen]`, e.g. 'start:offer-ready'. */
  readonly screen: string | null;
  readonly state: string | null;
  readonly inputError: string | null;
  /** The code this device shows (code-text's value), or null. */
  readonly code: string | null;
  readonly url: string;
}

export interface ChatMessage {
  readonly mine: boolean;
  readonly text: string;
  /** For mine: 'pending' or 'delivered'. */
  readonly status: string | null;
  /** Element children inside the message text: must stay 0 (text is never markup). */
  readonly markupInText: number;
}

export interface PeerConnectionInfo {
  readonly connectionState: string;
  readonly signalingState: string;
  readonly iceConnectionState: string;
}

export interface CameraInfo {
  /** How many getUserMedia streams the page opened. */
  readonly streams: number;
  readonly liveTracks: number;
  readonly videoHidden: boolean | null;
  readonly videoHasSource: boolean | null;
}

export interface Probe {
  pcs: RTCPeerConnection[];
  /** Per connection: its state changes ('ms since the page started: connection/ice') and channel events. */
  pcEvents: string[][];
  streams: MediaStream[];
  errors: string[];
  /** While true, messages on the page's data channels never reach the app (a one-way outage; see setDeaf). */
  deaf: boolean;
  /** Local descriptions the app set that differ from what createOffer/createAnswer returned (must stay empty). */
  edits: string[];
  /** Every data channel of the page's connections (a test may play a hostile peer on them). */
  channels: RTCDataChannel[];
}

interface ProbeSetup {
  readonly settingsKey: string;
  /** JSON to put in localStorage before the app first reads it in this tab (other tabs share storage). */
  readonly settings: string | null;
}

/** Runs before any script of the page (init script); must be self-contained. */
function installProbe(setup: ProbeSetup): void {
  const w = window as unknown as { __pigeonProbe?: Probe };
  if (w.__pigeonProbe !== undefined) return;
  const probe: Probe = {
    pcs: [],
    pcEvents: [],
    streams: [],
    errors: [],
    deaf: false,
    edits: [],
    channels: [],
  };
  w.__pigeonProbe = probe;
  if (setup.settings !== null) {
    try {
      // Once per tab (sessionStorage is per tab): a reload keeps what the person changed in Settings since.
      const seeded = 'pigeon-e2e-settings-seeded';
      if (sessionStorage.getItem(seeded) === null) {
        localStorage.setItem(setup.settingsKey, setup.settings);
        sessionStorage.setItem(seeded, '1');
      }
    } catch {
      // about:blank and friends have no storage.
    }
  }
  const Native = window.RTCPeerConnection;
  if (typeof Native === 'function') {
    window.RTCPeerConnection = new Proxy(Native, {
      construct(target, args, newTarget) {
        const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
        probe.pcs.push(pc);
        const log: string[] = [];
        probe.pcEvents.push(log);
        const note = () =>
          log.push(`${Math.round(performance.now())}: ${pc.connectionState}/${pc.iceConnectionState}`);
        pc.addEventListener('connectionstatechange', note);
        pc.addEventListener('iceconnectionstatechange', note);
        pc.addEventListener('signalingstatechange', () =>
          log.push(`${Math.round(performance.now())}: signaling ${pc.signalingState}`),
        );
        const at = () => Math.round(performance.now());
        // JSEP: a local description is exactly what the browser created. Remember each one it made.
        const created = new Set<string>();
        for (const name of ['createOffer', 'createAnswer'] as const) {
          const wrapped = async (options?: RTCOfferOptions) => {
            // Looked up at each call, like the description steps below (tests patch the prototype later).
            const original = Native.prototype[name] as (
              o?: RTCOfferOptions,
            ) => Promise<RTCSessionDescriptionInit>;
            const made = await original.call(pc, options);
            if (made.sdp !== undefined) created.add(made.sdp);
            return made;
          };
          Object.defineProperty(pc, name, { value: wrapped });
        }
        // Every description step and how it ended: a failed step is otherwise silent (the app gives the round up).
        for (const name of ['setLocalDescription', 'setRemoteDescription'] as const) {
          const wrapped = async (d?: RTCLocalSessionDescriptionInit) => {
            // Looked up at each call: tests patch the prototype later (rollback and restart counters).
            const original = Native.prototype[name] as (d?: RTCLocalSessionDescriptionInit) => Promise<void>;
            const what = `${name === 'setLocalDescription' ? 'local' : 'remote'} ${d?.type ?? 'implicit'}`;
            if (name === 'setLocalDescription' && d?.sdp !== undefined && !created.has(d.sdp)) {
              probe.edits.push(`${at()}: ${what} differs from what the browser created`);
              log.push(`${at()}: ${what} EDITED`);
            }
            try {
              await original.call(pc, d);
              log.push(`${at()}: ${what} set`);
            } catch (error) {
              log.push(`${at()}: ${what} FAILED ${String(error)}`);
              throw error;
            }
          };
          Object.defineProperty(pc, name, { value: wrapped });
        }
        // Channel events too (message types only, never content): what arrived, and when it closed.
        const watch = (channel: RTCDataChannel) => {
          const label = channel.label;
          probe.channels.push(channel);
          channel.addEventListener('open', () => log.push(`${at()}: channel ${label} open`));
          channel.addEventListener('close', () => log.push(`${at()}: channel ${label} close`));
          channel.addEventListener('message', (e: MessageEvent) => {
            // Added before the app's own listener, so it can keep messages from the app.
            if (probe.deaf) {
              e.stopImmediatePropagation();
              return;
            }
            // File chunks (binary) would flood the log: text messages only.
            if (typeof e.data !== 'string') return;
            const type = /"t":"(\w+)"/.exec(e.data)?.[1];
            const kind = /"kind":"(\w+)"/.exec(e.data)?.[1];
            if (type !== 'ping' && type !== 'pong')
              log.push(
                `${at()}: channel ${label} message ${type ?? '?'}${kind === undefined ? '' : ` ${kind}`}`,
              );
          });
        };
        const create = pc.createDataChannel.bind(pc);
        pc.createDataChannel = (label: string, init?: RTCDataChannelInit) => {
          const channel = create(label, init);
          watch(channel);
          return channel;
        };
        // The peer's channels (the Joiner's side of the first exchange) are seen before the app's own listener.
        pc.addEventListener('datachannel', (e) => watch(e.channel));
        return pc;
      },
    });
  }
  const media = navigator.mediaDevices;
  if (media !== undefined && typeof media.getUserMedia === 'function') {
    const original = media.getUserMedia.bind(media);
    media.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      const stream = await original(constraints);
      probe.streams.push(stream);
      return stream;
    };
  }
  window.addEventListener('error', (e) => probe.errors.push(`error: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) =>
    probe.errors.push(`unhandled rejection: ${String(e.reason)}`),
  );
}

function readSnapshot(): Snapshot {
  const q = (id: string) => document.querySelector(`[data-testid="${id}"]`);
  const code = q('code-text');
  return {
    screen: document.querySelector('.screen')?.getAttribute('data-screen') ?? null,
    state: q('state')?.textContent ?? null,
    inputError: q('input-error')?.textContent ?? null,
    code: code instanceof HTMLTextAreaElement ? code.value : null,
    url: location.href,
  };
}

function readMessages(): ChatMessage[] {
  return [...document.querySelectorAll('[data-testid="msg-mine"], [data-testid="msg-theirs"]')].map((li) => {
    const text = li.querySelector('.text');
    return {
      mine: li.getAttribute('data-testid') === 'msg-mine',
      text: text?.textContent ?? '',
      status: li.getAttribute('data-status'),
      markupInText: text?.children.length ?? -1,
    };
  });
}

function readPeerConnections(): PeerConnectionInfo[] {
  const probe = (window as unknown as { __pigeonProbe?: Probe }).__pigeonProbe;
  if (probe === undefined) throw new Error('the test probe is not installed in this page');
  return probe.pcs.map((pc) => ({
    connectionState: pc.connectionState,
    signalingState: pc.signalingState,
    iceConnectionState: pc.iceConnectionState,
  }));
}

function readCamera(): CameraInfo {
  const probe = (window as unknown as { __pigeonProbe?: Probe }).__pigeonProbe;
  if (probe === undefined) throw new Error('the test probe is not installed in this page');
  const video = document.querySelector('video.camera');
  return {
    streams: probe.streams.length,
    liveTracks: probe.streams.flatMap((s) => s.getTracks()).filter((tr) => tr.readyState === 'live').length,
    videoHidden: video instanceof HTMLVideoElement ? video.hidden === true : null,
    videoHasSource: video instanceof HTMLVideoElement ? video.srcObject !== null : null,
  };
}

function readPeerConnectionEvents(): string[][] {
  return (window as unknown as { __pigeonProbe?: Probe }).__pigeonProbe?.pcEvents ?? [];
}

function readErrors(): string[] {
  return (window as unknown as { __pigeonProbe?: Probe }).__pigeonProbe?.errors ?? [];
}

/** Takes the edits seen so far (each is reported once). */
function takeEdits(): string[] {
  return (window as unknown as { __pigeonProbe?: Probe }).__pigeonProbe?.edits.splice(0) ?? [];
}

/** Every app page open now (see harness/checks.ts, run after each e2e test). */
export const openedApps = new Set<AppPage>();
/** Edits found on pages already closed, for the same check. */
export const collectedEdits: string[] = [];
/** A page that does not answer this fast is gone (its browser was killed by the test) or hung. */
const CHECK_READ_TIMEOUT_MS = 5_000;

/** Reads what the after-each checks need from one page; a page that cannot be read has nothing to add. */
export async function collectChecks(app: AppPage): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), CHECK_READ_TIMEOUT_MS);
  });
  // A page whose browser the test closed or killed cannot be read: nothing to check there.
  const found = await Promise.race([app.takeDescriptionEdits(), timeout]).catch(() => null);
  clearTimeout(timer);
  for (const edit of found ?? []) collectedEdits.push(`${app.name} (${app.kind}) ${edit}`);
}

const sel = (testid: string): string => `[data-testid="${testid}"]`;

/** The few driver calls that differ between playwright-core and puppeteer-core. */
interface Driver {
  addInitScript(source: string): Promise<void>;
  click(selector: string): Promise<void>;
  fill(selector: string, text: string): Promise<void>;
  setInputFile(selector: string, path: string): Promise<void>;
  screenshotElement(selector: string, path: string): Promise<void>;
}

function driverFor(kind: BrowserKind, page: PageHandle): Driver {
  if (kind === 'chromium') {
    const p = page.raw as PlaywrightPage;
    return {
      addInitScript: async (source) => {
        await p.addInitScript(source);
      },
      click: (s) => p.locator(s).click(),
      fill: (s, text) => p.locator(s).fill(text),
      setInputFile: (s, path) => p.locator(s).setInputFiles(path),
      screenshotElement: async (s, path) => {
        await p.locator(s).screenshot({ path });
      },
    };
  }
  const p = page.raw as PuppeteerPage;
  const element = async (s: string) => {
    const el = await p.waitForSelector(s);
    if (el === null) throw new Error(`no element ${s}`);
    return el;
  };
  return {
    addInitScript: async (source) => {
      await p.evaluateOnNewDocument(source);
    },
    click: (s) => p.locator(s).click(),
    // In one step, as Playwright fills: Puppeteer's fill types key by key, and a screen that changes mid-word
    // (the connection dropping) would send half the text.
    fill: async (s, text) => {
      await (await element(s)).evaluate((node, value) => {
        const field = node as HTMLInputElement | HTMLTextAreaElement;
        field.focus();
        field.value = value;
        field.dispatchEvent(new Event('input', { bubbles: true }));
      }, text);
    },
    setInputFile: async (s, path) => {
      const el = (await element(s)) as unknown as { uploadFile(...paths: string[]): Promise<void> };
      await el.uploadFile(path);
    },
    screenshotElement: async (s, path) => {
      await (await element(s)).screenshot({ path: path as `${string}.png` });
    },
  };
}

export interface OpenOptions {
  /** STUN setting stored before the app starts; '' (the default) means none. null: leave settings alone. */
  readonly stun?: string | null;
  /** Appended to the app URL, e.g. '#CODE' for a deep link. */
  readonly hash?: string;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One device running the app: a page in one browser, and what a person does with it. */
export class AppPage {
  private constructor(
    readonly browser: BrowserHandle,
    readonly page: PageHandle,
    readonly name: string,
    private readonly driver: Driver,
  ) {}

  get kind(): BrowserKind {
    return this.browser.kind;
  }

  /** Opens the app at `appUrl` in a new page of `browser`, with the probe installed first. */
  static async open(browser: BrowserHandle, appUrl: string, name: string, opts: OpenOptions = {}) {
    const page = await browser.newPage();
    const driver = driverFor(browser.kind, page);
    const stun = opts.stun === undefined ? '' : opts.stun;
    const settings = stun === null ? null : JSON.stringify({ stun, locale: null });
    await driver.addInitScript(pageExpression(installProbe, { settingsKey: SETTINGS_KEY, settings }));
    const app = new AppPage(browser, page, name, driver);
    openedApps.add(app);
    await page.goto(`${appUrl}${opts.hash ?? ''}`);
    await app.waitFor('the app shell', (s) => s.screen !== null);
    return app;
  }

  // ---- reading the screen ----

  snapshot(): Promise<Snapshot> {
    return this.page.evaluate(readSnapshot, undefined);
  }

  messages(): Promise<ChatMessage[]> {
    return this.page.evaluate(readMessages, undefined);
  }

  peerConnections(): Promise<PeerConnectionInfo[]> {
    return this.page.evaluate(readPeerConnections, undefined);
  }

  camera(): Promise<CameraInfo> {
    return this.page.evaluate(readCamera, undefined);
  }

  /** Each connection's state changes, for diagnostics. */
  peerConnectionEvents(): Promise<string[][]> {
    return this.page.evaluate(readPeerConnectionEvents, undefined);
  }

  pageErrors(): Promise<string[]> {
    return this.page.evaluate(readErrors, undefined);
  }

  /** Local descriptions set since the last call that were not exactly what the browser created. */
  takeDescriptionEdits(): Promise<string[]> {
    return this.page.evaluate(takeEdits, undefined);
  }

  /** Brings the page to the front (a browser's background tab may not settle clicks). */
  front(): Promise<void> {
    return (this.page.raw as { bringToFront(): Promise<void> }).bringToFront();
  }

  /** The link the code panel shows (the code after '#'). */
  codeLink(): Promise<string> {
    return this.evaluate(
      () => document.querySelector('[data-testid="code-link"]')?.textContent ?? '',
      undefined,
    );
  }

  /** Runs a self-contained function in the page. */
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return this.page.evaluate(fn, arg);
  }

  /**
   * Polls `read` until `accept` holds; returns the accepted value. On timeout the error names what was
   * awaited and shows the last value and the screen, so a failure says where the app stood.
   */
  async poll<T>(
    what: string,
    read: () => Promise<T>,
    accept: (v: T) => boolean,
    timeoutMs: number,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    let lastError: unknown;
    for (;;) {
      try {
        last = await read();
        if (accept(last)) return last;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() >= deadline) break;
      await sleep(POLL_MS);
    }
    let screen = '';
    try {
      screen = JSON.stringify(await this.snapshot());
    } catch (e) {
      screen = `(no snapshot: ${String(e)})`;
    }
    throw new Error(
      `${this.name} (${this.kind}): timed out after ${timeoutMs} ms waiting for ${what}; ` +
        `last value ${JSON.stringify(last)}${lastError === undefined ? '' : `, last error ${String(lastError)}`}; ` +
        `screen ${screen}`,
    );
  }

  waitFor(what: string, accept: (s: Snapshot) => boolean, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Snapshot> {
    return this.poll(what, () => this.snapshot(), accept, timeoutMs);
  }

  /** Waits until the screen is `view:kind` (or just `:kind` for any view). */
  waitScreen(screen: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Snapshot> {
    const match = (s: Snapshot) =>
      screen.startsWith(':') ? (s.screen ?? '').endsWith(screen) : s.screen === screen;
    return this.waitFor(`screen ${screen}`, match, timeoutMs);
  }

  // ---- doing things ----

  tap(testid: string): Promise<void> {
    return this.driver.click(sel(testid));
  }

  /** Taps the element a CSS selector names (for buttons without a test id). */
  tapCss(selector: string): Promise<void> {
    return this.driver.click(selector);
  }

  type(testid: string, text: string): Promise<void> {
    return this.driver.fill(sel(testid), text);
  }

  pickFile(testid: string, path: string): Promise<void> {
    return this.driver.setInputFile(sel(testid), path);
  }

  screenshotOf(testid: string, path: string): Promise<void> {
    return this.driver.screenshotElement(sel(testid), path);
  }

  /** Settings screen: sets the STUN server through the form, saves, goes back home. */
  async setStunViaSettings(stun: string): Promise<void> {
    await this.tap('settings');
    await this.waitScreen('settings', CODE_TIMEOUT_MS);
    await this.type('stun', stun);
    await this.tap('save-settings');
    await this.poll(
      'the settings saved notice',
      () =>
        this.evaluate(
          () => document.querySelector('[data-testid="settings-message"]')?.textContent ?? '',
          undefined,
        ),
      (m) => m === t('settings.saved'),
      CODE_TIMEOUT_MS,
    );
    await this.tap('back');
    await this.waitScreen('home', CODE_TIMEOUT_MS);
  }

  /** Taps Start and waits for the offer code; returns its text. */
  async start(): Promise<string> {
    await this.tap('start');
    const s = await this.waitFor(
      'the offer code',
      (x) => x.screen === 'start:offer-ready' && (x.code ?? '') !== '',
      CODE_TIMEOUT_MS,
    );
    return s.code ?? '';
  }

  /** Types a code into the text box and taps "Use this code" (opening the box first where it is folded away). */
  async enterCode(code: string): Promise<void> {
    const folded = await this.evaluate(
      () => document.querySelector('[data-testid="input-panel"] details:not([open])') !== null,
      undefined,
    );
    if (folded) await this.tapCss('[data-testid="input-panel"] details:not([open]) > summary');
    await this.type('code-input', code);
    await this.tap('submit-code');
  }

  /** Taps Join, enters the offer, waits for the answer code; returns its text. */
  async join(offer: string): Promise<string> {
    await this.tap('join');
    await this.waitScreen('join:idle', CODE_TIMEOUT_MS);
    await this.enterCode(offer);
    return this.waitAnswerCode();
  }

  async waitAnswerCode(previous?: string): Promise<string> {
    const s = await this.waitFor(
      'the answer code',
      (x) => x.screen === 'join:answer-ready' && (x.code ?? '') !== '' && x.code !== previous,
      CODE_TIMEOUT_MS,
    );
    return s.code ?? '';
  }

  /** Waits for the chat screen with the peer's hello shown. */
  waitConnected(timeoutMs = CONNECT_TIMEOUT_MS): Promise<Snapshot> {
    return this.waitFor(
      'the chat screen (connected)',
      (s) => (s.screen ?? '').endsWith(':connected'),
      timeoutMs,
    );
  }

  async send(text: string): Promise<void> {
    const before = (await this.messages()).filter((m) => m.mine).length;
    const sent = async () => (await this.messages()).filter((m) => m.mine).length > before;
    await this.type('chat-input', text);
    await this.tap('chat-send');
    // A tap can land while the screen is rebuilt under it (the connection dropping): the text is then still in
    // the box, unsent, and a person taps Send again. A sent message empties the box at once.
    const landed = await this.poll('the tap on Send', sent, (ok) => ok, RETAP_AFTER_MS).catch(() => false);
    if (!landed && (await this.fieldValue('chat-input')) === text) await this.tap('chat-send');
    await this.poll(`our message ${JSON.stringify(text)} in the log`, sent, (ok) => ok, MESSAGE_TIMEOUT_MS);
  }

  /** The value of the field with this test id, or null when there is none. */
  fieldValue(testid: string): Promise<string | null> {
    return this.evaluate((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      return el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement ? el.value : null;
    }, testid);
  }

  /** The test id and value of the field that has the focus, or null. */
  focusedField(): Promise<{ id: string; value: string } | null> {
    return this.evaluate(() => {
      const el = document.activeElement;
      if (!(el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement)) return null;
      return { id: el.dataset.testid ?? '', value: el.value };
    }, undefined);
  }

  /** Waits for a message from the peer with exactly this text. */
  waitTheirs(text: string, timeoutMs = MESSAGE_TIMEOUT_MS): Promise<ChatMessage> {
    return this.poll(
      `their message ${JSON.stringify(text)}`,
      () => this.messages(),
      (ms) => ms.some((m) => !m.mine && m.text === text),
      timeoutMs,
    ).then((ms) => ms.find((m) => !m.mine && m.text === text) as ChatMessage);
  }

  /** Waits until our message with this text shows the delivered tick. */
  waitDelivered(text: string, timeoutMs = MESSAGE_TIMEOUT_MS): Promise<ChatMessage> {
    return this.poll(
      `the delivered tick on ${JSON.stringify(text)}`,
      () => this.messages(),
      (ms) => ms.some((m) => m.mine && m.text === text && m.status === 'delivered'),
      timeoutMs,
    ).then((ms) => ms.find((m) => m.mine && m.text === text) as ChatMessage);
  }

  /** Waits until every RTCPeerConnection the app made is closed. Returns them. */
  waitAllClosed(timeoutMs = MESSAGE_TIMEOUT_MS): Promise<PeerConnectionInfo[]> {
    return this.poll(
      'every RTCPeerConnection closed',
      () => this.peerConnections(),
      (pcs) =>
        pcs.length > 0 && pcs.every((p) => p.signalingState === 'closed' && p.connectionState === 'closed'),
      timeoutMs,
    );
  }

  /** Closes the page; what its probe saw is kept for the after-each checks first (harness/checks.ts). */
  async close(): Promise<void> {
    await collectChecks(this);
    openedApps.delete(this);
    await this.page.close();
  }
}

/** Offer from A to B and answer back, all by typing the text codes. Returns the two codes. */
export async function pairByText(a: AppPage, b: AppPage): Promise<{ offer: string; answer: string }> {
  const offer = await a.start();
  const answer = await b.join(offer);
  await a.enterCode(answer);
  await Promise.all([a.waitConnected(), b.waitConnected()]);
  return { offer, answer };
}

/** One message each way; checks text, delivery ticks, and that nothing arrived as markup. */
export async function chatBothWays(a: AppPage, b: AppPage, tag: string): Promise<void> {
  const fromA = `hello from ${a.name} (${tag})`;
  const fromB = `hello from ${b.name} (${tag})`;
  await a.send(fromA);
  await b.send(fromB);
  const [atB, atA] = await Promise.all([b.waitTheirs(fromA), a.waitTheirs(fromB)]);
  await Promise.all([a.waitDelivered(fromA), b.waitDelivered(fromB)]);
  if (atA.markupInText !== 0 || atB.markupInText !== 0)
    throw new Error('a chat message was rendered as markup');
}
