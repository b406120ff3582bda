// The built app driven in Chromium (playwright-core) for the PWA tests: open a page the way a person would,
// wait for the service worker, pair two pages through the UI and chat.
import type { Page } from 'playwright-core';
import type { BrowserHandle, PageHandle } from './browsers.ts';

export const SETTINGS_KEY = 'pigeon.settings.v1';
/** No STUN server: gathering must not wait for a public server that is unreachable in the namespace. */
export const LOCAL_SETTINGS = { stun: '', locale: null } as const;
/** A code is shown within seconds; this bounds a broken build. */
export const CODE_TIMEOUT_MS = 20_000;
export const CONNECT_TIMEOUT_MS = 30_000;
export const MESSAGE_TIMEOUT_MS = 10_000;
/** Installing the worker precaches the whole app (a few hundred KB from 127.0.0.1). */
export const SW_READY_TIMEOUT_MS = 30_000;

/**
 * Runs before the app's own code on every load of the page: seeds the settings (only when none are saved, so a
 * choice made in the page survives a reload) and records Content-Security-Policy violations from the start.
 */
function bootProbe(settings: { key: string; value: string }): void {
  try {
    if (localStorage.getItem(settings.key) === null) localStorage.setItem(settings.key, settings.value);
  } catch {
    // No storage on this page (e.g. an error page): nothing to seed.
  }
  const w = window as unknown as { __csp: { directive: string; blocked: string; sample: string }[] };
  w.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    w.__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
  });
}

export interface CspViolation {
  readonly directive: string;
  readonly blocked: string;
  readonly sample: string;
}

export const cspViolations = (page: Page): Promise<CspViolation[]> =>
  page.evaluate(() => (window as unknown as { __csp: CspViolation[] }).__csp);

/**
 * A new tab in `browser` (Chromium) on `url`, with the boot probe installed; waits until the element with
 * data-testid `ready` shows (the home screen's Start by default; null: no wait).
 */
export async function openApp(
  browser: BrowserHandle,
  url: string,
  ready: string | null = 'start',
): Promise<Page> {
  if (browser.kind !== 'chromium') throw new Error('openApp drives Chromium (playwright-core) only');
  const page = (await browser.newPage()).raw as Page;
  await page.addInitScript(bootProbe, { key: SETTINGS_KEY, value: JSON.stringify(LOCAL_SETTINGS) });
  await page.goto(url);
  if (ready !== null) await page.getByTestId(ready).waitFor();
  return page;
}

/**
 * Waits until the service worker is active (its precache complete) and controls this page: a page that
 * installed the first worker is not controlled until its next load, so it is reloaded once.
 * Returns the controlling worker's script URL.
 */
export async function untilControlled(page: Page): Promise<string> {
  const ready = await page.evaluate(
    (ms) =>
      Promise.race([
        navigator.serviceWorker.ready.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
      ]),
    SW_READY_TIMEOUT_MS,
  );
  if (!ready) throw new Error(`no active service worker for ${page.url()} after ${SW_READY_TIMEOUT_MS} ms`);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
    await page.getByTestId('start').waitFor();
  }
  const script = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
  if (script === null) throw new Error(`service worker does not control ${page.url()} after a reload`);
  return script;
}

/** Start on `a`, Join on `b`, carry the offer and the answer as text, until both show the chat. */
export async function pair(a: Page, b: Page): Promise<void> {
  await a.getByTestId('start').click();
  const offer = await codeText(a);
  await b.getByTestId('join').click();
  await b.getByTestId('code-input').fill(offer);
  await b.getByTestId('submit-code').click();
  const answer = await codeText(b);
  await a.getByTestId('code-input').fill(answer);
  await a.getByTestId('submit-code').click();
  await Promise.all([
    a.getByTestId('chat-input').waitFor({ timeout: CONNECT_TIMEOUT_MS }),
    b.getByTestId('chat-input').waitFor({ timeout: CONNECT_TIMEOUT_MS }),
  ]);
}

/** The code this page shows (its offer or answer), once there is one. */
export async function codeText(page: Page): Promise<string> {
  const box = page.getByTestId('code-text');
  await box.waitFor({ timeout: CODE_TIMEOUT_MS });
  const text = await box.inputValue();
  if (text === '') throw new Error('code-text is empty');
  return text;
}

/** Sends `text` from one page and waits until the other shows it as their message. */
export async function chat(from: Page, to: Page, text: string): Promise<void> {
  await from.getByTestId('chat-input').fill(text);
  await from.getByTestId('chat-send').click();
  await to.getByTestId('msg-theirs').filter({ hasText: text }).waitFor({ timeout: MESSAGE_TIMEOUT_MS });
}

/** Both directions, so a half-open connection cannot pass. */
export async function chatBothWays(a: Page, b: Page, tag: string): Promise<void> {
  await chat(a, b, `${tag}: a→b`);
  await chat(b, a, `${tag}: b→a`);
}

// The same steps through PageHandle.evaluate alone, so they run in Firefox (puppeteer-core over BiDi) too:
// taps are element.click(), typing sets the field's value (the forms read it on submit), waits poll in the page.

/** In the page: resolves with the element's value or text once `[data-testid=id]` (with `text`) exists. */
async function whenShown(q: { id: string; text: string | null; ms: number }): Promise<string | null> {
  const end = Date.now() + q.ms;
  for (;;) {
    for (const el of document.querySelectorAll<HTMLElement>(`[data-testid="${q.id}"]`)) {
      // Form fields by value (an <li> has a numeric `value` too), anything else by its text.
      const field = el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement;
      const value = field ? el.value : (el.textContent ?? '');
      if (q.text === null || value.includes(q.text)) return value;
    }
    if (Date.now() > end) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for `[data-testid=id]` (holding `text`, if given) and returns its value or text; throws on timeout. */
export async function shown(page: PageHandle, id: string, ms = CODE_TIMEOUT_MS, text: string | null = null) {
  const value = await page.evaluate(whenShown, { id, text, ms });
  if (value === null)
    throw new Error(`no [data-testid=${id}]${text === null ? '' : ` with '${text}'`} after ${ms} ms`);
  return value;
}

export async function tap(page: PageHandle, id: string): Promise<void> {
  await shown(page, id);
  await page.evaluate(
    (testId) => document.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.click(),
    id,
  );
}

export async function type(page: PageHandle, id: string, text: string): Promise<void> {
  await shown(page, id);
  await page.evaluate(
    (q) => {
      const field = document.querySelector<HTMLTextAreaElement>(`[data-testid="${q.id}"]`);
      if (field) field.value = q.text;
    },
    { id, text },
  );
}

/** Seeds the settings (no STUN) in this origin's storage; they apply from the next load. */
export const seedSettings = (page: PageHandle) =>
  page.evaluate((s) => localStorage.setItem(s.key, s.value), {
    key: SETTINGS_KEY,
    value: JSON.stringify(LOCAL_SETTINGS),
  });

/** Resolves once a service worker is active for the page's scope; throws after SW_READY_TIMEOUT_MS. */
export async function swReady(page: PageHandle): Promise<void> {
  const ok = await page.evaluate(
    (ms) =>
      Promise.race([
        navigator.serviceWorker.ready.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
      ]),
    SW_READY_TIMEOUT_MS,
  );
  if (!ok) throw new Error(`no active service worker after ${SW_READY_TIMEOUT_MS} ms`);
}

export const controllerScript = (page: PageHandle) =>
  page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null, undefined);

/** Pairing as in `pair`, through PageHandle only. */
export async function pairByDom(a: PageHandle, b: PageHandle): Promise<void> {
  await tap(a, 'start');
  const offer = await shown(a, 'code-text');
  await tap(b, 'join');
  await type(b, 'code-input', offer);
  await tap(b, 'submit-code');
  const answer = await shown(b, 'code-text');
  await type(a, 'code-input', answer);
  await tap(a, 'submit-code');
  await Promise.all([shown(a, 'chat-input', CONNECT_TIMEOUT_MS), shown(b, 'chat-input', CONNECT_TIMEOUT_MS)]);
}

/** Chat both ways, as in `chatBothWays`, through PageHandle only. */
export async function chatByDom(a: PageHandle, b: PageHandle, tag: string): Promise<void> {
  for (const [from, to, text] of [
    [a, b, `${tag}: a→b`],
    [b, a, `${tag}: b→a`],
  ] as const) {
    await type(from, 'chat-input', text);
    await tap(from, 'chat-send');
    await shown(to, 'msg-theirs', MESSAGE_TIMEOUT_MS, text);
  }
}
