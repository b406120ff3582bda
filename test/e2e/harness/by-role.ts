// Finding what a person finds: a control by its role and accessible name, a field by its label, a sentence by
// its visible text; and asserting what is drawn. Chromium goes through Playwright's own getByRole/getByLabel/
// getByText. Puppeteer (Firefox over BiDi) has no such locators, so there the page itself looks among the
// visible elements: a name is the aria-label, else the field's label, else the text, whitespace folded.
import type { Page as PlaywrightPage } from 'playwright-core';
import type { ElementHandle, Page as PuppeteerPage } from 'puppeteer-core';
import { type AppPage, CODE_TIMEOUT_MS, POLL_MS, sleep, t } from './app.ts';

export type Role = 'button' | 'link' | 'textbox' | 'img';
/** A name matched whole (string) or by pattern. */
export type Name = string | RegExp;

/** How long a control may take to be drawn before a tap gives up. */
const FIND_TIMEOUT_MS = 10_000;

interface Query {
  readonly role: Role | 'label' | 'text';
  readonly name: string;
  readonly regex: boolean;
  /** Only inside the list item that shows this text (a file's row, found by the file's name). */
  readonly within: string | null;
}

/** Runs in the page: the visible elements that match. */
function matching(q: Query): Element[] {
  const fold = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const test = (s: string) => (q.regex ? new RegExp(q.name).test(s) : s === q.name);
  const shown = (el: Element) => el.checkVisibility({ visibilityProperty: true });
  const nameOf = (el: Element): string => {
    const aria = el.getAttribute('aria-label');
    if (aria !== null) return fold(aria);
    const title = el.querySelector(':scope > title');
    if (title !== null) return fold(title.textContent);
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) return fold([...labels].map((l) => l.textContent).join(' '));
    return fold(el.textContent);
  };
  const selector = {
    button: 'button, [role="button"], input[type="submit"], input[type="button"], summary',
    link: 'a[href], [role="link"]',
    img: 'img, [role="img"]',
    textbox: 'textarea, input:not([type]), input[type="text"], input[type="password"], [role="textbox"]',
    label: 'textarea, input, select',
    text: '*',
  }[q.role];
  const rows =
    q.within === null
      ? null
      : [...document.querySelectorAll('li')].filter((li) =>
          [...li.querySelectorAll('*')].some((e) => fold(e.textContent) === q.within),
        );
  const all = [...document.querySelectorAll(selector)].filter(
    (el) => rows === null || rows.some((li) => li.contains(el)),
  );
  if (q.role === 'text') {
    // The innermost elements whose own text is the sentence.
    return all.filter(
      (el) =>
        shown(el) && test(fold(el.textContent)) && ![...el.children].some((c) => test(fold(c.textContent))),
    );
  }
  if (q.role === 'label') {
    return all.filter(
      (el) =>
        shown(el) &&
        (test(fold(el.getAttribute('aria-label'))) ||
          [...((el as HTMLInputElement).labels ?? [])].some((l) => test(fold(l.textContent)))),
    );
  }
  return all.filter((el) => shown(el) && test(nameOf(el)));
}

const query = (role: Query['role'], name: Name, within: string | null = null): Query =>
  typeof name === 'string'
    ? { role, name, regex: false, within }
    : { role, name: name.source, regex: true, within };

function playwright(app: AppPage, role: Query['role'], name: Name, within: string | null = null) {
  const page = app.page.raw as PlaywrightPage;
  const exact = typeof name === 'string';
  const scope =
    within === null
      ? page
      : page.getByRole('listitem').filter({ has: page.getByText(within, { exact: true }) });
  if (role === 'label') return scope.getByLabel(name, { exact });
  if (role === 'text') return scope.getByText(name, { exact });
  return scope.getByRole(role, { name, exact });
}

/** The page expression for `matching(q)` followed by `then` (e.g. '.length'); __name as in pageExpression. */
const inPage = (q: Query, then: string) =>
  `(async () => { const __name = (f) => f; return (${matching.toString()})(${JSON.stringify(q)})${then}; })()`;

/** Firefox: the one visible match, waited for. */
async function puppeteerOne(app: AppPage, q: Query): Promise<ElementHandle<Element>> {
  const page = app.page.raw as PuppeteerPage;
  const deadline = Date.now() + FIND_TIMEOUT_MS;
  for (;;) {
    const handle = await page.evaluateHandle(inPage(q, '[0] ?? null'));
    const el = handle.asElement();
    if (el !== null) return el as ElementHandle<Element>;
    await handle.dispose();
    if (Date.now() > deadline) throw new Error(`${app.name}: no visible ${q.role} "${q.name}"`);
    await sleep(POLL_MS);
  }
}

/**
 * How many visible elements of this role and name the page draws now; with `within`, only in the list item
 * (a file's row) that shows that text.
 */
export async function countShown(
  app: AppPage,
  role: Query['role'],
  name: Name,
  within: string | null = null,
): Promise<number> {
  if (app.kind === 'chromium') return playwright(app, role, name, within).filter({ visible: true }).count();
  const q = query(role, name, within);
  return (app.page.raw as PuppeteerPage).evaluate(inPage(q, '.length')) as Promise<number>;
}

/**
 * Taps the visible control of this role and name (or the visible text, role 'text'), as a person would; with
 * `within`, the one in the list item (a file's row) that shows that text.
 */
export async function press(
  app: AppPage,
  name: Name,
  role: Role | 'text' = 'button',
  within: string | null = null,
): Promise<void> {
  if (app.kind === 'chromium') return playwright(app, role, name, within).filter({ visible: true }).click();
  const el = await puppeteerOne(app, query(role, name, within));
  await el.click();
  await el.dispose();
}

/** Puts text into the field with this label in one step (a screen changing mid-word must not cut it). */
export async function fill(app: AppPage, label: Name, text: string): Promise<void> {
  if (app.kind === 'chromium') return playwright(app, 'label', label).filter({ visible: true }).fill(text);
  const el = await puppeteerOne(app, query('label', label));
  await el.evaluate((node, value) => {
    const field = node as HTMLInputElement | HTMLTextAreaElement;
    field.focus();
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await el.dispose();
}

/** The value of the visible field with this label, or null when none is drawn. */
export async function fieldValue(app: AppPage, label: Name): Promise<string | null> {
  if ((await countShown(app, 'label', label)) === 0) return null;
  if (app.kind === 'chromium') return playwright(app, 'label', label).filter({ visible: true }).inputValue();
  const el = await puppeteerOne(app, query('label', label));
  const value = await el.evaluate((node) => (node as HTMLInputElement).value);
  await el.dispose();
  return value;
}

/** Waits until `text` is drawn on the page (visible, not just present). */
export async function waitShown(app: AppPage, text: Name, timeoutMs = FIND_TIMEOUT_MS): Promise<void> {
  await app.poll(
    `"${String(text)}" shown`,
    () => countShown(app, 'text', text),
    (n) => n > 0,
    timeoutMs,
  );
}

/**
 * Reads a code in by typing it, as a person does: the box labelled "Or paste the code here", then "Use this
 * code". Where the box is folded away (the Joiner's answer screen), its heading is tapped open first.
 */
export async function typeCode(app: AppPage, code: string): Promise<void> {
  if ((await countShown(app, 'label', t('input.textLabel'))) === 0)
    await press(app, t('state.newCodeHint'), 'text');
  await fill(app, t('input.textLabel'), code);
  await press(app, t('input.submit'));
}

/** Picks files with the control labelled `label` (the files panel's "Send files…"; its input is hidden). */
export async function pickFiles(
  app: AppPage,
  paths: readonly string[],
  label: string = t('files.pick'),
): Promise<void> {
  if (app.kind === 'chromium')
    return (app.page.raw as PlaywrightPage).getByLabel(label, { exact: true }).setInputFiles([...paths]);
  const el = (await puppeteerOne(app, query('label', label))) as unknown as {
    uploadFile(...p: string[]): Promise<void>;
    dispose(): Promise<void>;
  };
  await el.uploadFile(...paths);
  await el.dispose();
}

/**
 * The text code as the person reads it off the screen, once it is drawn: the code panel can come a moment after
 * the sentence above it (seen once under load: the sentence was there and the code box not yet).
 */
export function shownCode(app: AppPage): Promise<string> {
  return app.poll(
    'the text code drawn',
    async () => (await fieldValue(app, t('code.textLabel'))) ?? '',
    (code) => code !== '',
    CODE_TIMEOUT_MS,
  );
}

/** As a person names this device: Settings → this device's name → Save → back. */
export async function nameDevice(app: AppPage, name: string): Promise<void> {
  await press(app, t('nav.settings'));
  await fill(app, t('settings.name'), name);
  await press(app, t('settings.save'));
  await waitShown(app, t('settings.saved'));
  await press(app, `← ${t('nav.back')}`);
}
