// File transfers in real browsers, through the UI: pick files, accept on the other side, follow progress, save.
// The received bytes are hashed by the browser's own WebCrypto (not our SHA-256) and compared with the source.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { AppPage, pairByText } from './harness/app.ts';
import { type BrowserHandle, launchBrowser } from './harness/browsers.ts';
import { assertInNetns } from './harness/netns.ts';

const MB = 1024 * 1024;
const TRANSFER_TIMEOUT_MS = 180_000;
const ROW_TIMEOUT_MS = 20_000;

let server: AppServer;
let dir: string;
const browsers = new Map<string, BrowserHandle>();

beforeAll(async () => {
  assertInNetns();
  dir = await mkdtemp(join(tmpdir(), 'pigeon-files-e2e-'));
  server = await serveApp();
  const [c1, c2, f1] = await Promise.all([
    launchBrowser('chromium'),
    launchBrowser('chromium'),
    launchBrowser('firefox'),
  ]);
  browsers.set('chromium-1', c1);
  browsers.set('chromium-2', c2);
  browsers.set('firefox-1', f1);
}, 300_000);

afterAll(async () => {
  for (const b of browsers.values()) await b.close().catch(() => undefined);
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function browser(name: string): BrowserHandle {
  const b = browsers.get(name);
  if (b === undefined) throw new Error(`${name} did not launch`);
  return b;
}

interface Source {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

/** A file of random bytes on disk, for a file input to pick. */
async function source(name: string, size: number): Promise<Source> {
  const data = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, data);
  return { path, name, size, sha256: createHash('sha256').update(data).digest('hex') };
}

interface Row {
  readonly id: string;
  readonly direction: string;
  readonly name: string;
  readonly status: string;
  readonly bytes: number;
  readonly size: number;
  readonly sent: number;
  readonly paused: boolean;
  readonly resumedFrom: number[];
  readonly statusText: string;
  readonly notice: string;
  readonly hasDownload: boolean;
  readonly buttons: string[];
}

function readRows(): Row[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="transfer"]')].map((el) => ({
    id: el.dataset.id ?? '',
    direction: el.dataset.direction ?? '',
    name: el.querySelector('[data-testid="transfer-name"]')?.textContent ?? '',
    status: el.dataset.status ?? '',
    bytes: Number(el.dataset.bytes),
    size: Number(el.dataset.size),
    sent: Number(el.dataset.sent),
    paused: el.dataset.paused === 'true',
    resumedFrom: (el.dataset.resumedFrom ?? '').split(',').filter((x) => x !== '').map(Number),
    statusText: el.querySelector('[data-testid="transfer-status"]')?.textContent ?? '',
    notice: el.querySelector('[data-testid="transfer-notice"]')?.textContent ?? '',
    hasDownload: el.querySelector('[data-testid="transfer-download"]') !== null,
    buttons: [...el.querySelectorAll('button, a')].map((b) => b.getAttribute('data-testid') ?? ''),
  }));
}

const rows = (app: AppPage) => app.evaluate(readRows, undefined);

function waitRow(app: AppPage, what: string, match: (r: Row) => boolean, timeoutMs = ROW_TIMEOUT_MS): Promise<Row> {
  return app
    .poll(`${what}`, () => rows(app), (rs) => rs.some(match), timeoutMs)
    .then((rs) => rs.find(match) as Row);
}

/**
 * Test instrumentation: remembers the Blob behind every object URL the page makes, so the test can read the
 * exact bytes a download link offers (the app's CSP rightly forbids fetching blob: URLs).
 */
function recordObjectUrls(): void {
  const w = window as unknown as { __pigeonBlobs?: Map<string, Blob> };
  if (w.__pigeonBlobs !== undefined) return;
  const blobs = new Map<string, Blob>();
  w.__pigeonBlobs = blobs;
  const original = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob | MediaSource) => {
    const url = original(obj);
    if (obj instanceof Blob) blobs.set(url, obj);
    return url;
  };
}

/** SHA-256 of the file behind a row's download link, computed by the browser's WebCrypto. */
function downloadedSha256(id: string): Promise<string> {
  return (async () => {
    const link = document.querySelector<HTMLAnchorElement>(
      `[data-testid="transfer"][data-id="${id}"] [data-testid="transfer-download"]`,
    );
    if (link === null) throw new Error('no download link');
    const blob = (window as unknown as { __pigeonBlobs?: Map<string, Blob> }).__pigeonBlobs?.get(link.href);
    if (blob === undefined) throw new Error('the download link points at no recorded Blob');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  })();
}

/** Opens the app and installs the test instrumentation. */
async function openApp(name: string, label: string): Promise<AppPage> {
  const app = await AppPage.open(browser(name), server.url, label);
  await app.evaluate(recordObjectUrls, undefined);
  return app;
}

/** Taps a button inside the row of transfer `id`. */
async function tapIn(app: AppPage, id: string, testid: string): Promise<void> {
  await app.evaluate(
    ({ id, testid }) => {
      const el = document.querySelector<HTMLElement>(`[data-testid="transfer"][data-id="${id}"] [data-testid="${testid}"]`);
      if (el === null) throw new Error(`no ${testid} in ${id}`);
      el.click();
    },
    { id, testid },
  );
}

async function sendAndReceive(from: AppPage, to: AppPage, file: Source): Promise<void> {
  await from.pickFile('files-pick', file.path);
  const offered = await waitRow(to, `the offer of ${file.name}`, (r) => r.name === file.name && r.status === 'offered');
  expect(offered).toMatchObject({ direction: 'in', size: file.size });
  expect(offered.buttons).toContain('transfer-accept');
  expect(offered.buttons).toContain('transfer-decline');
  await tapIn(to, offered.id, 'transfer-accept');
  const done = await waitRow(to, `${file.name} received`, (r) => r.id === offered.id && r.status === 'done', TRANSFER_TIMEOUT_MS);
  expect(done).toMatchObject({ bytes: file.size, hasDownload: true });
  expect(await to.evaluate(downloadedSha256, offered.id)).toBe(file.sha256);
  const sent = await waitRow(from, `${file.name} confirmed`, (r) => r.id === offered.id && r.status === 'done');
  expect(sent).toMatchObject({ direction: 'out', bytes: file.size, sent: file.size, hasDownload: false });
}

describe('files between real browsers', () => {
  it('50 MB Chromium → Firefox and Firefox → Chromium: the received bytes hash to the source', async () => {
    const c = await openApp('chromium-1', 'C');
    const f = await openApp('firefox-1', 'F');
    try {
      await pairByText(c, f);
      const one = await source('fifty-c2f.bin', 50 * MB);
      const two = await source('fifty-f2c.bin', 50 * MB);
      await sendAndReceive(c, f, one);
      await sendAndReceive(f, c, two);
      expect(await c.pageErrors()).toEqual([]);
      expect(await f.pageErrors()).toEqual([]);
    } finally {
      await c.close();
      await f.close();
    }
  }, 400_000);
});
