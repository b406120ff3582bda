// Files beyond the picker, in real Chromium: files shared to the installed app from another app (Web Share
// Target, through the built service worker), a received file still saveable after the peer hung up, and files
// dropped on the chat. Received bytes are hashed by the browser's own WebCrypto and compared with the source.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page as PlaywrightPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, pairByText, t } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, launchBrowser } from './harness/browsers.ts';
import {
  downloadedSha256,
  ROW_TIMEOUT_MS,
  recordObjectUrls,
  rows,
  type Source,
  source,
  tapIn,
  waitRow,
} from './harness/files.ts';
import { assertInNetns } from './harness/netns.ts';

const KB = 1024;
/** Installing the service worker precaches the whole app from 127.0.0.1. */
const SW_READY_TIMEOUT_MS = 30_000;

let server: AppServer;
let dir: string;
let sharer: BrowserHandle;
let peer: BrowserHandle;

beforeAll(async () => {
  assertInNetns();
  dir = await mkdtemp(join(tmpdir(), 'pigeon-files-extra-e2e-'));
  server = await serveApp();
  [sharer, peer] = await Promise.all([launchBrowser('chromium'), launchBrowser('chromium')]);
}, 300_000);

afterAll(async () => {
  for (const b of [sharer, peer]) await b?.close().catch(() => undefined);
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function openApp(browser: BrowserHandle, label: string): Promise<AppPage> {
  const app = await AppPage.open(browser, server.url, label);
  await app.evaluate(recordObjectUrls, undefined);
  return app;
}

/** A on the sharing browser, B on the other; runs `test`, then checks neither page threw, and closes both. */
async function withTwo(test: (a: AppPage, b: AppPage) => Promise<void>): Promise<void> {
  const a = await openApp(sharer, 'A');
  const b = await openApp(peer, 'B');
  try {
    await test(a, b).catch(async (error: unknown) => {
      // What each side held when it failed: the rows, and the connection's last events.
      const report = async (app: AppPage) =>
        `${app.name}: rows ${JSON.stringify(await rows(app))}\n  ${((await app.peerConnectionEvents()).at(-1) ?? []).filter((e) => !e.includes(' cand')).join(' | ')}`;
      throw new Error(
        `${String(error)}\n--- both sides ---\n${(await Promise.all([a, b].map(report))).join('\n')}`,
      );
    });
    expect(await a.pageErrors()).toEqual([]);
    expect(await b.pageErrors()).toEqual([]);
  } finally {
    await a.close();
    await b.close();
  }
}

/** The receiver accepts the offer of `file`, and the bytes behind its download link hash to the source. */
async function receive(to: AppPage, file: Pick<Source, 'name' | 'size' | 'sha256'>): Promise<string> {
  const offered = await waitRow(to, `the offer of ${file.name}`, (r) => r.name === file.name);
  expect(offered).toMatchObject({ direction: 'in', status: 'offered', size: file.size });
  await tapIn(to, offered.id, 'transfer-accept');
  const done = await waitRow(to, `${file.name} received`, (r) => r.id === offered.id && r.status === 'done');
  expect(done).toMatchObject({ bytes: file.size, hasDownload: true });
  expect(await to.evaluate(downloadedSha256, offered.id)).toBe(file.sha256);
  return offered.id;
}

const notice = (app: AppPage) =>
  app.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="shared-notice"]');
    return el === null || el.hidden
      ? null
      : (el.querySelector('[data-testid="shared-count"]')?.textContent ?? '');
  }, undefined);

describe('files: share target, after hang-up, drag and drop', () => {
  it('files shared to the app (a POST to the manifest’s share action) wait, and go to the peer when the person taps Send', async () => {
    const files = [
      await source(dir, 'shared-one.bin', 300 * KB),
      await source(dir, 'shared two.txt', 40 * KB),
    ];
    await withTwo(async (a, b) => {
      const active = await a.evaluate(
        (ms) =>
          Promise.race([
            navigator.serviceWorker.ready.then((r) => r.active?.scriptURL ?? null),
            new Promise<null>((resolve) => setTimeout(() => resolve(null), ms)),
          ]),
        SW_READY_TIMEOUT_MS,
      );
      expect(active).toBe(`${server.url}sw.js`);
      const manifest = (await (await fetch(`${server.url}manifest.webmanifest`)).json()) as {
        share_target: {
          action: string;
          method: string;
          enctype: string;
          params: { files: { name: string }[] };
        };
      };
      const share = manifest.share_target;
      const action = new URL(share.action, `${server.url}manifest.webmanifest`).href;
      // The static server itself refuses POSTs: only the service worker can answer the share.
      expect((await fetch(action, { method: 'POST' })).status).toBe(405);

      // What Android does for a share: a POST navigation of multipart form data to the action. Here from a blank
      // page's form (the app's own CSP rightly forbids forms), with the two files picked into its input.
      const raw = a.page.raw as PlaywrightPage;
      await raw.goto('about:blank');
      await raw.setContent(
        `<form method="${share.method}" enctype="${share.enctype}" action="${action}">` +
          `<input type="file" multiple name="${share.params.files[0]?.name}"><button>share</button></form>`,
      );
      await raw.locator('input[type="file"]').setInputFiles(files.map((f) => f.path));
      // Committed at the app (the redirect's landing); by then, or soon after, the app takes the marker away.
      await Promise.all([
        raw.waitForURL((u) => u.href.startsWith(server.url), { waitUntil: 'commit' }),
        raw.locator('button').click(),
      ]);
      await a.waitScreen('home');
      expect(
        await a.poll(
          'the shared-files notice',
          () => notice(a),
          (n) => n !== null,
          ROW_TIMEOUT_MS,
        ),
      ).toBe(t('files.sharedWaiting', { count: 2 }));
      // The marker left the address bar: links the page makes (codes) must not carry it.
      expect(await a.evaluate(() => location.href, undefined)).toBe(server.url);

      // Waiting and not connected: no Send, only the hint to connect and the way to drop them.
      const sendShared = raw.getByRole('button', { name: t('files.sharedSendName', { count: 2 }) });
      expect(await sendShared.isVisible()).toBe(false);
      expect(await raw.getByRole('button', { name: t('files.sharedDiscard') }).isVisible()).toBe(true);

      await b.evaluate(recordObjectUrls, undefined);
      await pairByText(a, b);
      // Connected: nothing shared went out by itself (any website can post to the share target).
      expect((await rows(a)).filter((r) => r.direction === 'out')).toEqual([]);
      expect(await notice(a)).toBe(t('files.sharedWaiting', { count: 2 }));
      await sendShared.click();
      for (const f of files) await receive(b, f);
      expect(await notice(a)).toBeNull();
      const sent = await a.poll(
        'both shared files confirmed',
        () => rows(a),
        (rs) => rs.filter((r) => r.direction === 'out' && r.status === 'done').length === 2,
        ROW_TIMEOUT_MS,
      );
      expect(sent.map((r) => r.name).sort()).toEqual(files.map((f) => f.name).sort());
    });
  });

  it('after the sender hangs up, the receiver’s closed screen still offers the file, with the right bytes', async () => {
    const file = await source(dir, 'keep-me.bin', 512 * KB);
    await withTwo(async (a, b) => {
      await pairByText(a, b);
      await a.pickFile('files-pick', file.path);
      const id = await receive(b, file);
      await waitRow(a, 'the sender’s confirmation', (r) => r.id === id && r.status === 'done');
      await a.tap('hangup');
      await b.waitScreen(':closed');
      const closed = await b.evaluate(
        () => ({
          panel: document.querySelector('[data-testid="files-closed"]') !== null,
          picker: document.querySelector('[data-testid="files-pick"]') !== null,
        }),
        undefined,
      );
      expect(closed).toEqual({ panel: true, picker: false });
      const row = await waitRow(b, 'the received file on the closed screen', (r) => r.id === id);
      expect(row).toMatchObject({ status: 'done', hasDownload: true, bytes: file.size });
      expect(await b.evaluate(downloadedSha256, id)).toBe(file.sha256);
    });
  });

  it('a file dropped on the files panel is offered to the peer; text dropped on the chat input is left alone', async () => {
    const bytes = randomBytes(200 * KB);
    const file = {
      name: 'dropped.bin',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    await withTwo(async (a, b) => {
      await pairByText(a, b);
      // Text first: the chat must not take it (no default prevented, no transfer), so the input gets it as usual.
      const text = await a.evaluate(() => {
        const input = document.querySelector('[data-testid="chat-input"]');
        if (input === null) throw new Error('no chat input');
        const data = new DataTransfer();
        data.setData('text/plain', 'just words');
        const fire = (type: string) => {
          const ev = new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true });
          input.dispatchEvent(ev);
          return ev.defaultPrevented;
        };
        return { over: fire('dragover'), drop: fire('drop') };
      }, undefined);
      expect(text).toEqual({ over: false, drop: false });
      expect(await rows(a)).toEqual([]);

      const taken = await a.evaluate(
        ({ name, data }) => {
          const zone = document.querySelector('[data-testid="files"]');
          if (zone === null) throw new Error('no files panel');
          const dt = new DataTransfer();
          dt.items.add(new File([Uint8Array.from(data)], name, { type: 'application/octet-stream' }));
          const fire = (type: string) => {
            const ev = new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true });
            zone.dispatchEvent(ev);
            return ev.defaultPrevented;
          };
          return { enter: fire('dragenter'), over: fire('dragover'), drop: fire('drop') };
        },
        { name: file.name, data: [...bytes] },
      );
      expect(taken).toEqual({ enter: true, over: true, drop: true });
      await receive(b, file);
      await waitRow(a, 'the sender’s confirmation', (r) => r.name === file.name && r.status === 'done');
    });
  });
});
