// A new version reaches open pages: a static host's folder is replaced by build 2 under open pages of build 1.
// An idle page offers the update and reloads into build 2; pages in a call hold the offer back, keep talking, and
// are not reloaded under the call even when another page applies the update.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHandle, launchChromium } from './harness/browsers.ts';
import { assertInNetns } from './harness/netns.ts';
import { buildPwa, deploy, entryScript } from './harness/pwa-build.ts';
import { chatBothWays, openApp, pair, untilControlled } from './harness/pwa-ui.ts';
import { type StaticServer, serveStatic } from './harness/server.ts';

/** The update check fetches sw.js and installs the new worker (precaching what changed). */
const UPDATE_TIMEOUT_MS = 30_000;

/** Asks the server for a new version, as the app's own check does (`registration.update()`). */
const checkForUpdate = (page: Page) =>
  page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    await r?.update();
  });

/** The entry chunk this document runs, relative to the app's folder. */
const runningEntry = (page: Page) =>
  page.evaluate(() => {
    const src = document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.src ?? '';
    return src.slice(new URL('./', location.href).href.length);
  });

const bannerShown = (page: Page) => page.getByTestId('update-banner').isVisible();

/** A value that lives only as long as this document: gone after any reload. */
const markDocument = (page: Page) =>
  page.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

describe('PWA update: build 1 open, build 2 deployed', () => {
  let build1: string;
  let build2: string;
  let entry1: string;
  let entry2: string;
  let browser: BrowserHandle;
  const closers: (() => Promise<unknown>)[] = [];

  /** A fresh folder on a fresh origin holding build 1, as a static host serves it. */
  async function site(): Promise<{ dir: string; server: StaticServer }> {
    const dir = await mkdtemp(join(tmpdir(), 'pigeon-pwa-site-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    await deploy(build1, dir);
    const server = await serveStatic(dir);
    closers.push(() => server.close());
    return { dir, server };
  }

  async function open(url: string): Promise<Page> {
    const page = await openApp(browser, url);
    closers.push(() => page.close());
    return page;
  }

  beforeAll(async () => {
    assertInNetns();
    build1 = await buildPwa();
    build2 = await buildPwa('2');
    entry1 = await entryScript(build1);
    entry2 = await entryScript(build2);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    await browser?.close();
  });

  it('the two builds differ where an update shows: the entry chunk', () => {
    expect(entry1).toMatch(/^assets\/.+\.js$/);
    expect(entry2).toMatch(/^assets\/.+\.js$/);
    expect(entry2).not.toBe(entry1);
  });

  it('an idle page offers the new version, and Reload brings it up', async () => {
    const { dir, server } = await site();
    const page = await open(server.url);
    await untilControlled(page);
    expect(await runningEntry(page)).toBe(entry1);

    // Nothing new yet: no offer.
    await checkForUpdate(page);
    expect(await bannerShown(page)).toBe(false);

    await deploy(build2, dir);
    await checkForUpdate(page);
    await page.getByTestId('update-banner').waitFor({ state: 'visible', timeout: UPDATE_TIMEOUT_MS });
    expect(await runningEntry(page)).toBe(entry1);

    await markDocument(page);
    await page.getByTestId('update-reload').click();
    await page.waitForFunction(
      () => !(window as unknown as { __sameDocument?: boolean }).__sameDocument,
      null,
      {
        timeout: UPDATE_TIMEOUT_MS,
      },
    );
    await page.getByTestId('start').waitFor();
    expect(await runningEntry(page)).toBe(entry2);
    expect(await bannerShown(page)).toBe(false);
    expect(
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting ?? null)),
    ).toBe(null);
  });

  it('pages in a call hold the offer back and stay connected, even when another page applies the update', async () => {
    const { dir, server } = await site();
    const a = await open(server.url);
    await untilControlled(a);
    const b = await open(server.url);
    const idle = await open(server.url);
    await untilControlled(b);
    await untilControlled(idle);
    await pair(a, b);
    await chatBothWays(a, b, 'before the update');
    for (const p of [a, b]) await markDocument(p);

    await deploy(build2, dir);
    await checkForUpdate(idle);
    await idle.getByTestId('update-banner').waitFor({ state: 'visible', timeout: UPDATE_TIMEOUT_MS });
    // The new version waits for every page of the app; the two in the call do not offer it.
    for (const p of [a, b]) {
      expect(
        await p.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting != null)),
      ).toBe(true);
      expect(await bannerShown(p)).toBe(false);
    }
    await chatBothWays(a, b, 'while the new version waits');

    // The idle page takes the update: it reloads into build 2 ...
    await markDocument(idle);
    await idle.getByTestId('update-reload').click();
    await idle.waitForFunction(
      () => !(window as unknown as { __sameDocument?: boolean }).__sameDocument,
      null,
      {
        timeout: UPDATE_TIMEOUT_MS,
      },
    );
    await idle.getByTestId('start').waitFor();
    expect(await runningEntry(idle)).toBe(entry2);
    // ... and the call goes on: same documents, same connection.
    for (const p of [a, b]) {
      expect(await sameDocument(p)).toBe(true);
      expect(await runningEntry(p)).toBe(entry1);
      expect(await bannerShown(p)).toBe(false);
    }
    await chatBothWays(a, b, 'after another page updated');

    // Once the call ends, the offer shows, and Reload brings up build 2 there too.
    await a.getByTestId('hangup').click();
    await a.getByTestId('update-banner').waitFor({ state: 'visible', timeout: UPDATE_TIMEOUT_MS });
    await a.getByTestId('update-reload').click();
    await a.waitForFunction(() => !(window as unknown as { __sameDocument?: boolean }).__sameDocument, null, {
      timeout: UPDATE_TIMEOUT_MS,
    });
    await a.getByTestId('start').waitFor();
    expect(await runningEntry(a)).toBe(entry2);
  });
});
