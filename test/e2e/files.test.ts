// File transfers in real browsers, through the UI: pick files, accept on the other side, follow progress, save.
// The received bytes are hashed by the browser's own WebCrypto (not our SHA-256) and compared with the source.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText, t } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, launchBrowser } from './harness/browsers.ts';
import { countShown, pickFiles, press } from './harness/by-role.ts';
import {
  downloadedSha256,
  ROW_TIMEOUT_MS,
  type Row,
  recordObjectUrls,
  rows,
  type Source,
  source,
  tapIn,
  waitRow,
} from './harness/files.ts';
import { assertInNetns } from './harness/netns.ts';

const MB = 1024 * 1024;
const TRANSFER_TIMEOUT_MS = 180_000;

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

/** Opens the app and installs the test instrumentation. */
async function openApp(name: string, label: string): Promise<AppPage> {
  const app = await AppPage.open(browser(name), server.url, label);
  await app.evaluate(recordObjectUrls, undefined);
  return app;
}

/** How many visible controls of this name the file's row draws. */
const inRow = (app: AppPage, file: string, name: string, role: 'button' | 'link' = 'button') =>
  countShown(app, role, name, file);

async function sendAndReceive(from: AppPage, to: AppPage, file: Source): Promise<void> {
  await pickFiles(from, [file.path]);
  const offered = await waitRow(
    to,
    `the offer of ${file.name}`,
    (r) => r.name === file.name && r.status === 'offered',
  );
  expect(offered).toMatchObject({ direction: 'in', size: file.size });
  // The offer shows its name and size first, and Accept and Decline in its row; nothing to save yet.
  expect(await inRow(to, file.name, t('files.accept'))).toBe(1);
  expect(await inRow(to, file.name, t('files.decline'))).toBe(1);
  expect(await inRow(to, file.name, t('files.download'), 'link')).toBe(0);
  await press(to, t('files.accept'), 'button', file.name);
  const done = await waitRow(
    to,
    `${file.name} received`,
    (r) => r.id === offered.id && r.status === 'done',
    TRANSFER_TIMEOUT_MS,
  );
  expect(done).toMatchObject({ bytes: file.size, hasDownload: true });
  expect(await inRow(to, file.name, t('files.download'), 'link'), 'Download drawn').toBe(1);
  expect(await inRow(to, file.name, t('files.accept')), 'Accept gone').toBe(0);
  expect(await to.evaluate(downloadedSha256, offered.id)).toBe(file.sha256);
  const sent = await waitRow(
    from,
    `${file.name} confirmed`,
    (r) => r.id === offered.id && r.status === 'done',
  );
  expect(sent).toMatchObject({ direction: 'out', bytes: file.size, sent: file.size, hasDownload: false });
  expect(await inRow(from, file.name, t('files.download'), 'link')).toBe(0);
  expect(await countShown(from, 'text', t('files.doneOut'), file.name)).toBe(1);
}

describe('files between real browsers', () => {
  it('50 MB Chromium → Firefox and Firefox → Chromium: the received bytes hash to the source', async () => {
    const c = await openApp('chromium-1', 'C');
    const f = await openApp('firefox-1', 'F');
    try {
      await pairByText(c, f);
      const one = await source(dir, 'fifty-c2f.bin', 50 * MB);
      const two = await source(dir, 'fifty-f2c.bin', 50 * MB);
      await sendAndReceive(c, f, one);
      await sendAndReceive(f, c, two);
      expect(await c.pageErrors()).toEqual([]);
      expect(await f.pageErrors()).toEqual([]);
    } finally {
      await c.close();
      await f.close();
    }
  }, 400_000);

  it('three files queued; the receiver cancels the second midway; the first and third complete', async () => {
    const a = await openApp('chromium-1', 'A');
    const b = await openApp('chromium-2', 'B');
    try {
      await pairByText(a, b);
      const files = [
        await source(dir, 'q1.bin', 8 * MB),
        await source(dir, 'q2.bin', 100 * MB),
        await source(dir, 'q3.bin', 8 * MB),
      ];
      // Several at once, as a person picks them.
      await pickFiles(
        a,
        files.map((f) => f.path),
      );
      const offers = await b.poll(
        'three offers',
        () => rows(b),
        (rs) => rs.filter((r) => r.status === 'offered').length === 3,
        ROW_TIMEOUT_MS,
      );
      const idOf = (name: string) => offers.find((r) => r.name === name)?.id ?? '';
      // In the page: cancel the second file the moment its first bytes show (a person would be slower).
      const cancelledAt = b.evaluate((name) => {
        return new Promise<number>((resolve) => {
          const timer = setInterval(() => {
            const row = [...document.querySelectorAll<HTMLElement>('[data-testid="transfer"]')].find(
              (r) => r.querySelector('[data-testid="transfer-name"]')?.textContent === name,
            );
            if (row?.dataset.status !== 'receiving' || Number(row.dataset.bytes) === 0) return;
            clearInterval(timer);
            row.querySelector<HTMLElement>('[data-testid="transfer-cancel"]')?.click();
            resolve(Number(row.dataset.bytes));
          }, 5);
        });
      }, 'q2.bin');
      for (const f of files) await press(b, t('files.accept'), 'button', f.name);
      const at = await cancelledAt;
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(files[1]?.size ?? 0);
      for (const f of [files[0], files[2]] as Source[]) {
        const done = await waitRow(
          b,
          `${f.name} done`,
          (r) => r.name === f.name && r.status === 'done',
          TRANSFER_TIMEOUT_MS,
        );
        expect(await b.evaluate(downloadedSha256, done.id)).toBe(f.sha256);
        await waitRow(a, `${f.name} confirmed`, (r) => r.name === f.name && r.status === 'done');
      }
      const mid = idOf('q2.bin');
      const atB = (await rows(b)).find((r) => r.id === mid);
      expect(atB).toMatchObject({ status: 'cancelled', hasDownload: false });
      expect(atB?.bytes).toBeLessThan(files[1]?.size ?? 0);
      const atA = await waitRow(
        a,
        'the cancel seen by the sender',
        (r) => r.id === mid && r.status === 'cancelled',
      );
      expect(atA.statusText).toBe('The other device cancelled.');
      expect(await countShown(a, 'text', t('files.cancelledByPeer'), 'q2.bin'), 'the cancel drawn').toBe(1);
      expect(atA.sent).toBeLessThan(files[1]?.size ?? 0);
    } finally {
      await a.close();
      await b.close();
    }
  }, 400_000);

  it('a hostile peer on a raw files channel: path names, a 10,000-character name, wrong size, bad digest, chunks after cancel', async () => {
    const a = await openApp('chromium-1', 'A');
    const h = await openApp('chromium-2', 'H');
    try {
      // H runs the app for pairing and chat, but its files channel is taken over by the test.
      await h.evaluate(() => {
        const w = window as unknown as { __raw?: RTCDataChannel; __heard: unknown[] };
        w.__heard = [];
        const original = RTCPeerConnection.prototype.createDataChannel;
        RTCPeerConnection.prototype.createDataChannel = function (label: string, init?: RTCDataChannelInit) {
          const ch = original.call(this, label, init);
          if (label !== 'pigeon-files') return ch;
          ch.binaryType = 'arraybuffer';
          ch.addEventListener('message', (e) => {
            if (typeof e.data === 'string') w.__heard.push(JSON.parse(e.data));
          });
          w.__raw = ch;
          // The app gets a channel that never opens.
          return {
            readyState: 'connecting',
            bufferedAmount: 0,
            binaryType: 'arraybuffer',
            bufferedAmountLowThreshold: 0,
            send() {},
            close() {},
            addEventListener() {},
          } as unknown as RTCDataChannel;
        };
      }, undefined);
      await pairByText(a, h);
      type Step =
        | { json: Record<string, unknown> }
        | { chunk: { n: number; offset: number; length: number; fill: number } }
        | { waitAccept: string }
        | { waitHeard: { t: string; id: string } };
      const act = (steps: Step[]) =>
        h.evaluate(async (list: Step[]) => {
          const w = window as unknown as { __raw?: RTCDataChannel; __heard: { t: string; id?: string }[] };
          const deadline = Date.now() + 15_000;
          while (w.__raw?.readyState !== 'open') {
            if (Date.now() > deadline) throw new Error('raw channel never opened');
            await new Promise((r) => setTimeout(r, 20));
          }
          const raw = w.__raw;
          for (const step of list) {
            if ('json' in step) raw.send(JSON.stringify({ v: 1, ...step.json }));
            else if ('chunk' in step) {
              const { n, offset, length, fill } = step.chunk;
              const f = new Uint8Array(16 + length);
              const v = new DataView(f.buffer);
              v.setUint8(0, 0x50);
              v.setUint8(1, 1);
              v.setUint16(2, 16);
              v.setUint32(4, n);
              v.setUint32(8, Math.floor(offset / 2 ** 32));
              v.setUint32(12, offset >>> 0);
              f.fill(fill, 16);
              raw.send(f);
            } else {
              const want = 'waitAccept' in step ? { t: 'accept', id: step.waitAccept } : step.waitHeard;
              while (!w.__heard.some((m) => m.t === want.t && m.id === want.id)) {
                if (Date.now() > deadline) throw new Error(`no ${want.t} for ${want.id}`);
                await new Promise((r) => setTimeout(r, 20));
              }
            }
          }
          return w.__heard.map((m) => `${m.t}:${m.id ?? ''}`);
        }, steps);
      const sha = (length: number, fill: number) =>
        createHash('sha256').update(Buffer.alloc(length, fill)).digest('hex');
      await act([
        { json: { t: 'hello', maxChunk: 65536, seen: false } },
        {
          json: {
            t: 'offer',
            id: 'h-path',
            n: 1,
            name: '../../../../etc/passwd',
            size: 1000,
            type: 'text/html',
          },
        },
        { json: { t: 'offer', id: 'h-long', n: 2, name: `${'A'.repeat(10_000)}.txt`, size: 1000, type: '' } },
        { json: { t: 'offer', id: 'h-size', n: 3, name: 'wrong-size.bin', size: 1000, type: '' } },
        { json: { t: 'offer', id: 'h-hash', n: 4, name: 'bad-digest.bin', size: 1000, type: '' } },
        { json: { t: 'offer', id: 'h-cancel', n: 5, name: 'cancel-me.bin', size: 1_000_000, type: '' } },
      ]);
      const offered = await a.poll(
        'five offers',
        () => rows(a),
        (rs) => rs.filter((r) => r.status === 'offered').length === 5,
        ROW_TIMEOUT_MS,
      );
      const byId = (id: string) => offered.find((r) => r.id === id) as Row;
      expect(byId('h-path').name).toBe('passwd');
      expect(byId('h-long').name).toHaveLength(120);
      expect(byId('h-long').name.endsWith('.txt')).toBe(true);
      for (const id of ['h-size', 'h-hash', 'h-cancel']) await tapIn(a, id, 'transfer-accept');
      await act([
        { waitAccept: 'h-size' },
        { chunk: { n: 3, offset: 0, length: 2000, fill: 1 } },
        { waitAccept: 'h-hash' },
        { chunk: { n: 4, offset: 0, length: 1000, fill: 2 } },
        { json: { t: 'done', id: 'h-hash', size: 1000, sha256: sha(1000, 3) } },
        { waitAccept: 'h-cancel' },
        { chunk: { n: 5, offset: 0, length: 10_000, fill: 4 } },
        // A stream nobody offered.
        { chunk: { n: 99, offset: 0, length: 100, fill: 5 } },
      ]);
      const size = await waitRow(
        a,
        'the wrong size refused',
        (r) => r.id === 'h-size' && r.status === 'failed',
      );
      expect(size).toMatchObject({
        hasDownload: false,
        statusText: 'The file was not the size announced, so it was discarded.',
      });
      const digest = await waitRow(
        a,
        'the bad digest refused',
        (r) => r.id === 'h-hash' && r.status === 'failed',
      );
      expect(digest).toMatchObject({
        hasDownload: false,
        statusText: 'The file arrived damaged (SHA-256 does not match) and was discarded.',
      });
      await waitRow(a, 'the first chunk of cancel-me', (r) => r.id === 'h-cancel' && r.bytes === 10_000);
      await tapIn(a, 'h-cancel', 'transfer-cancel');
      // The cancel reaches this hostile peer first; only then are its chunks "after cancel".
      const heard = await act([
        { waitHeard: { t: 'cancel', id: 'h-cancel' } },
        { chunk: { n: 5, offset: 10_000, length: 10_000, fill: 4 } },
        { chunk: { n: 5, offset: 20_000, length: 10_000, fill: 4 } },
      ]);
      expect(heard).toContain('cancel:h-cancel');
      expect(heard).toContain('cancel:h-size');
      expect(heard).toContain('result:h-hash');
      // An honest file afterwards still arrives: the app is usable.
      await act([{ json: { t: 'offer', id: 'h-ok', n: 6, name: 'honest.bin', size: 5000, type: '' } }]);
      await waitRow(a, 'the honest offer', (r) => r.id === 'h-ok' && r.status === 'offered');
      await tapIn(a, 'h-ok', 'transfer-accept');
      await act([
        { waitAccept: 'h-ok' },
        { chunk: { n: 6, offset: 0, length: 5000, fill: 7 } },
        { json: { t: 'done', id: 'h-ok', size: 5000, sha256: sha(5000, 7) } },
      ]);
      const ok = await waitRow(a, 'the honest file', (r) => r.id === 'h-ok' && r.status === 'done');
      expect(await a.evaluate(downloadedSha256, ok.id)).toBe(sha(5000, 7));
      const after = await rows(a);
      expect(after.find((r) => r.id === 'h-cancel')).toMatchObject({
        status: 'cancelled',
        bytes: 10_000,
        hasDownload: false,
      });
      expect(after.filter((r) => r.hasDownload).map((r) => r.id)).toEqual(['h-ok']);
      await chatBothWays(a, h, 'after the hostile files');
      expect(await a.pageErrors()).toEqual([]);
    } finally {
      await a.close();
      await h.close();
    }
  }, 400_000);

  it('a transfer cut by closing its channel resumes from what was received and completes with the right hash', async () => {
    const a = await openApp('chromium-1', 'A');
    const b = await openApp('chromium-2', 'B');
    try {
      // B remembers the channels it makes, so the test can cut the files channel like a transport failure would.
      await b.evaluate(() => {
        const w = window as unknown as { __channels: RTCDataChannel[] };
        w.__channels = [];
        const original = RTCPeerConnection.prototype.createDataChannel;
        RTCPeerConnection.prototype.createDataChannel = function (label: string, init?: RTCDataChannelInit) {
          const ch = original.call(this, label, init);
          w.__channels.push(ch);
          return ch;
        };
      }, undefined);
      await pairByText(a, b);
      const file = await source(dir, 'resume.bin', 80 * MB);
      await pickFiles(a, [file.path]);
      const offer = await waitRow(b, 'the offer', (r) => r.name === file.name && r.status === 'offered');
      const cut = b.evaluate((id) => {
        return new Promise<number>((resolve) => {
          const timer = setInterval(() => {
            const row = document.querySelector<HTMLElement>(`[data-testid="transfer"][data-id="${id}"]`);
            const bytes = Number(row?.dataset.bytes ?? 0);
            if (bytes < 20 * 1024 * 1024) return;
            clearInterval(timer);
            const w = window as unknown as { __channels: RTCDataChannel[] };
            for (const ch of w.__channels)
              if (ch.label === 'pigeon-files' && ch.readyState === 'open') ch.close();
            resolve(bytes);
          }, 5);
        });
      }, offer.id);
      await press(b, t('files.accept'), 'button', file.name);
      const heldAtCut = await cut;
      const done = await waitRow(
        b,
        'the resumed file',
        (r) => r.id === offer.id && r.status === 'done',
        TRANSFER_TIMEOUT_MS,
      );
      expect(await b.evaluate(downloadedSha256, offer.id)).toBe(file.sha256);
      const sent = await waitRow(a, 'the sender done', (r) => r.id === offer.id && r.status === 'done');
      const [from = 0] = sent.resumedFrom;
      expect(sent.resumedFrom).toHaveLength(1);
      console.info(
        `resume: held ${heldAtCut} at the cut, resumed from ${from}, sent ${sent.sent} for ${file.size}`,
      );
      expect(from).toBeGreaterThanOrEqual(heldAtCut);
      expect(done.resumedFrom).toEqual(sent.resumedFrom);
      // Bytes put on the channel: less than the file twice; only what was in flight at the cut went again.
      expect(sent.sent).toBeLessThan(2 * file.size);
      expect(sent.sent - file.size).toBeLessThan(file.size - from);
      // Two files channels were made on B: the first, cut, and the one the transfer resumed on.
      const made = await b.evaluate(
        () =>
          (window as unknown as { __channels: RTCDataChannel[] }).__channels.filter(
            (c) => c.label === 'pigeon-files',
          ).length,
        undefined,
      );
      expect(made).toBe(2);
    } finally {
      await a.close();
      await b.close();
    }
  }, 400_000);
});
