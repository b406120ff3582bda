// A folder between real browsers, and chat text as text: Chromium sends a folder of 3 files in 2 subfolders
// (its "Send a folder…" directory picker), Firefox shows each file under its folder and saves all three as one
// zip, unzipped here and compared path by path, byte by byte. A link in chat stays plain text on both sides and
// opens nothing; a message is copied with one tap.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page as PlaywrightPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, pairByText, t } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, launchBrowser } from './harness/browsers.ts';
import { countShown, press, waitShown } from './harness/by-role.ts';
import { downloadedSha256, recordObjectUrls, source, waitRow } from './harness/files.ts';
import { assertInNetns } from './harness/netns.ts';

const KB = 1024;
const ZIP_TIMEOUT_MS = 20_000;

let server: AppServer;
let dir: string;
let chromium: BrowserHandle;
let firefox: BrowserHandle;

beforeAll(async () => {
  assertInNetns();
  dir = await mkdtemp(join(tmpdir(), 'pigeon-folders-e2e-'));
  server = await serveApp();
  [chromium, firefox] = await Promise.all([launchBrowser('chromium'), launchBrowser('firefox')]);
}, 300_000);

afterAll(async () => {
  for (const b of [chromium, firefox]) await b?.close().catch(() => undefined);
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function withPair(test: (c: AppPage, f: AppPage) => Promise<void>): Promise<void> {
  const c = await AppPage.open(chromium, server.url, 'C');
  const f = await AppPage.open(firefox, server.url, 'F');
  try {
    await Promise.all([c.evaluate(recordObjectUrls, undefined), f.evaluate(recordObjectUrls, undefined)]);
    await pairByText(c, f);
    await test(c, f);
    expect(await c.pageErrors()).toEqual([]);
    expect(await f.pageErrors()).toEqual([]);
  } finally {
    await c.close();
    await f.close();
  }
}

/** The bytes of the Blob behind the visible link of this name, as base64 (read in the page). */
function linkBytes(name: string): Promise<string> {
  return (async () => {
    const link = [...document.querySelectorAll<HTMLAnchorElement>('a[href]')].find(
      (a) => a.textContent === name && a.checkVisibility(),
    );
    if (link === undefined) throw new Error(`no visible link "${name}"`);
    const blob = (window as unknown as { __pigeonBlobs?: Map<string, Blob> }).__pigeonBlobs?.get(link.href);
    if (blob === undefined) throw new Error('the link points at no recorded Blob');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  })();
}

describe('a folder, Chromium → Firefox', () => {
  it('3 files in 2 subfolders arrive under their folders; "Save all (zip)" holds each path and its bytes', async () => {
    const top = join(dir, 'trip');
    await mkdir(join(top, 'day1'), { recursive: true });
    await mkdir(join(top, 'day2'), { recursive: true });
    const files = [
      { folder: 'trip/day1', ...(await source(join(top, 'day1'), 'a.bin', 300 * KB)) },
      { folder: 'trip/day1', ...(await source(join(top, 'day1'), 'notes.txt', 3 * KB)) },
      { folder: 'trip/day2', ...(await source(join(top, 'day2'), 'c.bin', 700 * KB)) },
    ];
    await withPair(async (c, f) => {
      // What a person does: taps "Send a folder…" and picks the folder (Playwright fills a webkitdirectory input
      // with a directory's files and their relative paths).
      await (c.page.raw as PlaywrightPage)
        .getByLabel(t('files.pickFolder'), { exact: true })
        .setInputFiles(top);
      for (const file of files) {
        const offer = await waitRow(f, `the offer of ${file.name}`, (r) => r.name === file.name);
        expect(offer).toMatchObject({ direction: 'in', status: 'offered', size: file.size });
        await press(f, t('files.accept'), 'button', file.name);
      }
      for (const file of files) {
        const done = await waitRow(
          f,
          `${file.name} received`,
          (r) => r.name === file.name && r.status === 'done',
        );
        expect(await f.evaluate(downloadedSha256, done.id)).toBe(file.sha256);
      }
      // Each file is shown under its folder, on both sides.
      for (const app of [f, c]) {
        expect(await countShown(app, 'text', 'trip/day1/'), app.name).toBe(2);
        expect(await countShown(app, 'text', 'trip/day2/'), app.name).toBe(1);
      }
      // File by file stays possible: one Download per file.
      expect(await countShown(f, 'link', t('files.download'))).toBe(3);

      await press(f, t('files.zipAll'));
      const link = await f.poll(
        'the zip’s download link',
        () =>
          f.evaluate(
            () =>
              [...document.querySelectorAll<HTMLAnchorElement>('a[download="pigeon-files.zip"]')]
                .filter((a) => a.checkVisibility())
                .map((a) => a.textContent ?? ''),
            undefined,
          ),
        (names) => names.length === 1,
        ZIP_TIMEOUT_MS,
      );
      const name = link[0] ?? '';
      expect(name).toMatch(/^Download pigeon-files\.zip \(1\.\d MB\)$/);
      expect(await countShown(f, 'link', name)).toBe(1);
      const zip = unzipSync(Buffer.from(await f.evaluate(linkBytes, name), 'base64'));
      expect(Object.keys(zip).sort()).toEqual(files.map((x) => `${x.folder}/${x.name}`).sort());
      for (const file of files) {
        const inZip = zip[`${file.folder}/${file.name}`] ?? new Uint8Array();
        expect(Buffer.from(inZip).equals(await readFile(file.path)), file.name).toBe(true);
      }
    });
  }, 240_000);
});

describe('chat text', () => {
  it('a link arrives as plain text and opens nothing; Copy puts the message on the clipboard and says Copied', async () => {
    await withPair(async (c, f) => {
      const raw = c.page.raw as PlaywrightPage;
      const pages = raw.context().pages().length;
      const url = 'https://example.com/look?here=1#now';
      const text = `see ${url} and javascript:alert(1)`;
      await c.send(text);
      const atF = await f.waitTheirs(text);
      expect(atF.markupInText).toBe(0);
      await f.send(`back: ${url}`);
      const atC = await c.waitTheirs(`back: ${url}`);
      expect(atC.markupInText).toBe(0);
      // No link drawn in either chat log, no navigation, no new tab.
      for (const app of [c, f]) {
        const shown = await app.evaluate(
          () => ({
            links: document.querySelectorAll('[data-testid="chat-log"] a').length,
            at: location.href,
          }),
          undefined,
        );
        expect(shown, app.name).toEqual({ links: 0, at: server.url });
      }
      expect(raw.context().pages()).toHaveLength(pages);

      // Copy, as a person taps it: the message they got.
      await raw.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await press(c, t('chat.copy'), 'button', `back: ${url}`);
      await waitShown(c, t('chat.copied'));
      expect(await raw.evaluate(() => navigator.clipboard.readText())).toBe(`back: ${url}`);
      // Firefox writes on a tap too (reading it back would ask the person): it says Copied.
      await press(f, t('chat.copy'), 'button', text);
      await waitShown(f, t('chat.copied'));
    });
  }, 180_000);
});
