// Web Share Target end to end in node: the service-worker script (public/share-target.js, run in a sandbox with a
// fake Cache Storage) answers a POST to the manifest's action, and the page's side (src/app/shared-files.ts)
// takes exactly the shared files out of the same storage. Ties both files' constants to the built manifest.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type SharedStore,
  storedName,
  takeSharedFiles,
  UNNAMED,
  withoutShareMarker,
} from '../../../src/app/shared-files.ts';
import { builtManifest, PUBLIC, type ShareTarget } from '../../support/manifest.ts';

const SCOPE = 'https://example.org/some/path/';
const SEE_OTHER = 303;

/** Cache Storage in memory: entries in insertion order, as the real one keeps them. */
function fakeCaches(): SharedStore & { names(): string[] } {
  const stores = new Map<string, Map<string, Response>>();
  const open = async (name: string) => {
    let entries = stores.get(name);
    if (entries === undefined) {
      entries = new Map();
      stores.set(name, entries);
    }
    const e = entries;
    return {
      put: async (req: Request, res: Response) => void e.set(req.url, res),
      keys: async () => [...e.keys()].map((u) => new Request(u)),
      match: async (req: Request) => e.get(req.url)?.clone(),
    };
  };
  return {
    has: async (name) => stores.has(name),
    open,
    delete: async (name) => stores.delete(name),
    names: () => [...stores.keys()],
  };
}

type Handler = (event: { request: Request; respondWith(r: Promise<Response>): void }) => void;

/** Runs the service-worker script in a sandbox; returns its fetch handler as the browser would call it. */
function loadWorker(caches: SharedStore): (request: Request) => Promise<Response> | null {
  const handlers: Handler[] = [];
  const self = {
    registration: { scope: SCOPE },
    addEventListener: (type: string, h: Handler) => type === 'fetch' && handlers.push(h),
  };
  const source = readFileSync(resolve(PUBLIC, 'share-target.js'), 'utf8');
  runInNewContext(source, { self, caches, URL, Request, Response, Date, Math, encodeURIComponent });
  return (request) => {
    let answer: Promise<Response> | null = null;
    const respondWith = (r: Promise<Response>) => {
      answer = r;
    };
    for (const h of handlers) h({ request, respondWith });
    return answer;
  };
}

describe('share target: service worker and page', () => {
  let share: ShareTarget;
  beforeAll(async () => {
    const { manifest } = await builtManifest();
    if (manifest.share_target === undefined) throw new Error('the manifest has no share_target');
    share = manifest.share_target;
  });

  const post = (form: FormData, url = new URL(share.action, SCOPE).href) =>
    new Request(url, { method: 'POST', body: form });

  it('keeps the posted files and sends the browser to the app with the marker; the page takes them once', async () => {
    const caches = fakeCaches();
    const fetchWith = loadWorker(caches);
    const field = share.params.files?.[0]?.name ?? '';
    const form = new FormData();
    form.append(field, new File([new Uint8Array([1, 2, 3])], 'one.bin', { type: 'application/x-one' }));
    form.append(field, new File(['zwei'], 'Grüße 名前.txt', { type: 'text/plain' }));
    form.append('title', 'not a file');
    const response = await fetchWith(post(form));
    expect(response?.status).toBe(SEE_OTHER);
    const landing = response?.headers.get('location') ?? '';
    expect(landing).toBe(`${SCOPE}?share=1`);
    expect(withoutShareMarker(landing)).toBe(SCOPE);

    const files = await takeSharedFiles(caches);
    expect(files.map((f) => [f.name, f.type, f.size])).toEqual([
      ['one.bin', 'application/x-one', 3],
      ['Grüße 名前.txt', 'text/plain', 4],
    ]);
    expect([...new Uint8Array((await files[0]?.arrayBuffer()) ?? new ArrayBuffer(0))]).toEqual([1, 2, 3]);
    expect(await files[1]?.text()).toBe('zwei');
    expect(await takeSharedFiles(caches)).toEqual([]);
    expect(caches.names()).toEqual([]);
  });

  it('two shares before the page looks add up, in order; an empty file input adds nothing', async () => {
    const caches = fakeCaches();
    const fetchWith = loadWorker(caches);
    const field = share.params.files?.[0]?.name ?? '';
    for (const name of ['a', 'b']) {
      const form = new FormData();
      form.append(field, new File([name], `${name}.txt`));
      form.append(field, new File([], ''));
      await fetchWith(post(form));
    }
    expect((await takeSharedFiles(caches)).map((f) => f.name)).toEqual(['a.txt', 'b.txt']);
  });

  it('leaves every other request to workbox: GETs, other paths, other origins', async () => {
    const fetchWith = loadWorker(fakeCaches());
    const action = new URL(share.action, SCOPE).href;
    expect(fetchWith(new Request(action))).toBeNull();
    expect(fetchWith(post(new FormData(), `${SCOPE}index.html`))).toBeNull();
    expect(fetchWith(post(new FormData(), action.replace('example.org', 'example.com')))).toBeNull();
  });

  it('a form posted from another website keeps nothing and lands on the app without the marker', async () => {
    const field = share.params.files?.[0]?.name ?? '';
    const form = () => {
      const f = new FormData();
      f.append(field, new File(['evil'], 'evil.bin'));
      return f;
    };
    const action = new URL(share.action, SCOPE).href;
    const fromWeb = [
      // A browser that shows Fetch Metadata to its service worker: a form on another site is 'cross-site'.
      new Request(action, { method: 'POST', body: form(), headers: { 'sec-fetch-site': 'cross-site' } }),
      new Request(action, { method: 'POST', body: form(), headers: { 'sec-fetch-site': 'same-site' } }),
      // One that does not (Chromium): the page that posted is the referrer.
      new Request(action, { method: 'POST', body: form(), referrer: 'https://evil.example/share.html' }),
    ];
    for (const request of fromWeb) {
      const caches = fakeCaches();
      const response = await loadWorker(caches)(request);
      expect(response?.status).toBe(SEE_OTHER);
      expect(response?.headers.get('location')).toBe(SCOPE);
      expect(caches.names()).toEqual([]);
      expect(await takeSharedFiles(caches)).toEqual([]);
    }
    // The share sheet's own navigation: 'none', and no web page as referrer.
    const caches = fakeCaches();
    const sheet = new Request(action, {
      method: 'POST',
      body: form(),
      headers: { 'sec-fetch-site': 'none' },
    });
    expect((await loadWorker(caches)(sheet))?.headers.get('location')).toBe(`${SCOPE}?share=1`);
    expect((await takeSharedFiles(caches)).map((f) => f.name)).toEqual(['evil.bin']);
  });

  it('a page with no shares waiting takes nothing and creates no storage', async () => {
    const caches = fakeCaches();
    expect(await takeSharedFiles(caches)).toEqual([]);
    expect(caches.names()).toEqual([]);
  });

  it('broken storage means no shared files, never an error', async () => {
    const broken: SharedStore = {
      has: async () => true,
      open: async () => Promise.reject(new Error('quota')),
      delete: async () => true,
    };
    expect(await takeSharedFiles(broken)).toEqual([]);
  });
});

describe('share marker and stored names', () => {
  it('only a ?share marker is removed, the rest of the address stays', () => {
    expect(withoutShareMarker('https://h/app/?share=1')).toBe('https://h/app/');
    expect(withoutShareMarker('https://h/app/?x=2&share=1#code')).toBe('https://h/app/?x=2#code');
    expect(withoutShareMarker('https://h/app/')).toBeNull();
    expect(withoutShareMarker('https://h/app/#share')).toBeNull();
  });

  it('names are percent-decoded; a missing or broken one gets a plain fallback', () => {
    expect(storedName(encodeURIComponent('a b/ü.txt'))).toBe('a b/ü.txt');
    expect(storedName(null)).toBe(UNNAMED);
    expect(storedName('')).toBe(UNNAMED);
    expect(storedName('%E0%A4%A')).toBe(UNNAMED);
  });
});
