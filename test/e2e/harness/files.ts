// Reading and driving the files panel from a test: rows by data attributes, the exact bytes behind a download
// link, source files of random bytes on disk.
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AppPage } from './app.ts';

export const ROW_TIMEOUT_MS = 20_000;

export interface Source {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

/** A file of random bytes on disk, for a file input to pick. */
export async function source(dir: string, name: string, size: number): Promise<Source> {
  const data = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, data);
  return { path, name, size, sha256: createHash('sha256').update(data).digest('hex') };
}

export interface Row {
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

export function readRows(): Row[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="transfer"]')].map((el) => ({
    id: el.dataset.id ?? '',
    direction: el.dataset.direction ?? '',
    name: el.querySelector('[data-testid="transfer-name"]')?.textContent ?? '',
    status: el.dataset.status ?? '',
    bytes: Number(el.dataset.bytes),
    size: Number(el.dataset.size),
    sent: Number(el.dataset.sent),
    paused: el.dataset.paused === 'true',
    resumedFrom: (el.dataset.resumedFrom ?? '')
      .split(',')
      .filter((x) => x !== '')
      .map(Number),
    statusText: el.querySelector('[data-testid="transfer-status"]')?.textContent ?? '',
    notice: el.querySelector('[data-testid="transfer-notice"]')?.textContent ?? '',
    hasDownload: el.querySelector('[data-testid="transfer-download"]') !== null,
    buttons: [...el.querySelectorAll('button, a')].map((b) => b.getAttribute('data-testid') ?? ''),
  }));
}

export const rows = (app: AppPage) => app.evaluate(readRows, undefined);

export function waitRow(
  app: AppPage,
  what: string,
  match: (r: Row) => boolean,
  timeoutMs = ROW_TIMEOUT_MS,
): Promise<Row> {
  return app
    .poll(
      `${what}`,
      () => rows(app),
      (rs) => rs.some(match),
      timeoutMs,
    )
    .then((rs) => rs.find(match) as Row);
}

/**
 * Test instrumentation: remembers the Blob behind every object URL the page makes, so the test can read the
 * exact bytes a download link offers (the app's CSP rightly forbids fetching blob: URLs).
 */
export function recordObjectUrls(): void {
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
export function downloadedSha256(id: string): Promise<string> {
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

/** The app accepts the offered `file` and keeps it; returns the browser's SHA-256 of the bytes it holds. */
export async function acceptAndHash(app: AppPage, file: Source, timeoutMs: number): Promise<string> {
  const offered = await waitRow(
    app,
    `the offer of ${file.name}`,
    (r) => r.name === file.name && r.status === 'offered',
  );
  expect(offered).toMatchObject({ direction: 'in', size: file.size });
  await tapIn(app, offered.id, 'transfer-accept');
  await waitRow(app, `${file.name} received`, (r) => r.id === offered.id && r.status === 'done', timeoutMs);
  return app.evaluate(downloadedSha256, offered.id);
}

/** Taps a button inside the row of transfer `id`. */
export async function tapIn(app: AppPage, id: string, testid: string): Promise<void> {
  await app.evaluate(
    ({ id, testid }) => {
      const el = document.querySelector<HTMLElement>(
        `[data-testid="transfer"][data-id="${id}"] [data-testid="${testid}"]`,
      );
      if (el === null) throw new Error(`no ${testid} in ${id}`);
      el.click();
    },
    { id, testid },
  );
}

/** The sender offers `file`, the receiver accepts it into memory; resolves once a quarter of it has arrived. */
export async function quarterSent(
  sender: AppPage,
  receiver: AppPage,
  file: Source,
  timeoutMs: number,
): Promise<{ readonly id: string; readonly held: Row }> {
  await sender.pickFile('files-pick', file.path);
  const offer = await waitRow(receiver, 'the offer', (r) => r.name === file.name && r.status === 'offered');
  await tapIn(receiver, offer.id, 'transfer-accept');
  const quarter = (r: Row) => r.id === offer.id && r.bytes >= file.size / 4;
  const held = await waitRow(receiver, 'a quarter of the file', quarter, timeoutMs);
  return { id: offer.id, held };
}

/** Waits until the receiver has verified the file (the exact bytes) and the sender is done; the sender's row. */
export async function verifiedBoth(
  sender: AppPage,
  receiver: AppPage,
  id: string,
  file: Source,
  timeoutMs: number,
): Promise<Row> {
  const ended = (r: Row) => r.id === id && (r.status === 'done' || r.status === 'failed');
  const done = await waitRow(receiver, 'the file verified', ended, timeoutMs);
  expect(done.status).toBe('done');
  expect(await receiver.evaluate(downloadedSha256, id)).toBe(file.sha256);
  return waitRow(sender, 'the sender done', (r) => r.id === id && r.status === 'done');
}
