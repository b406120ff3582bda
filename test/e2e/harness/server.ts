// A tiny static file server on 127.0.0.1 for blank test pages now and the built app (dist/) later.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.y4m': 'application/octet-stream',
};
const FALLBACK_MIME = 'application/octet-stream';

export interface ServeOptions {
  /** Served for paths that name no file (single-page-app fallback), e.g. 'index.html'. Default: 404. */
  readonly fallback?: string;
  /** Extra response headers on every file, e.g. Cache-Control. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface StaticServer {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  close(): Promise<void>;
}

export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? FALLBACK_MIME;
}

/** Maps a URL path to a file under root, or null when it would escape root. */
function resolveUnder(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(root, `.${normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function fileAt(path: string): Promise<string | null> {
  try {
    const s = await stat(path);
    if (s.isFile()) return path;
    if (s.isDirectory()) return fileAt(join(path, 'index.html'));
  } catch {
    // fall through: not found
  }
  return null;
}

export async function serveStatic(dir: string, opts: ServeOptions = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const rootStat = await stat(root);
  if (!rootStat.isDirectory()) throw new Error(`serveStatic: ${root} is not a directory`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const target = resolveUnder(root, path);
    let file = target === null ? null : await fileAt(target);
    if (file === null && target !== null && opts.fallback !== undefined) {
      file = await fileAt(join(root, opts.fallback));
    }
    if (file === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const size = (await stat(file)).size;
    res.writeHead(200, { 'Content-Type': mimeTypeFor(file), 'Content-Length': size, ...opts.headers });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections();
        server.close((e) => (e ? fail(e) : ok()));
      }),
  };
}
