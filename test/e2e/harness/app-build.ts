// Builds the app for end-to-end tests into a private, content-addressed directory (never the shared dist/,
// which other people rebuild and empty at any moment). The directory name is a hash of everything the build
// reads, so a test file reuses the build of an earlier file when nothing changed and rebuilds when it did.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { serveStatic } from './server.ts';

const run = promisify(execFile);

/** The repository root (this file is test/e2e/harness/app-build.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BUILD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];
const DIR_PREFIX = 'pigeon-e2e-app-';
const DONE_MARKER = '.build-complete';
/** Old builds are removed after this long (another run may still serve a recent one). */
const STALE_BUILD_MS = 24 * 60 * 60 * 1000;
const BUILD_TIMEOUT_MS = 180_000;

async function filesUnder(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  const s = await stat(path);
  if (s.isFile()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path)).sort()) out.push(...(await filesUnder(join(path, entry))));
  return out;
}

/** A hash of every file the build reads (paths and contents). */
export async function buildInputsHash(root = REPO_ROOT): Promise<string> {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    for (const file of await filesUnder(join(root, input))) {
      hash.update(relative(root, file));
      hash.update('\0');
      hash.update(await readFile(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function removeStaleBuilds(keep: string): Promise<void> {
  const base = tmpdir();
  for (const name of await readdir(base)) {
    if (!name.startsWith(DIR_PREFIX) || join(base, name) === keep) continue;
    try {
      const s = await stat(join(base, name));
      if (Date.now() - s.mtimeMs > STALE_BUILD_MS)
        await rm(join(base, name), { recursive: true, force: true });
    } catch {
      // Removed by someone else meanwhile.
    }
  }
}

/**
 * Returns a directory holding a production build of the current sources (`vite build`), building it when
 * no build of exactly these sources exists yet. Safe against concurrent callers: each builds into its own
 * temporary directory and the first to finish renames it into place.
 */
export async function buildApp(): Promise<string> {
  const target = join(tmpdir(), `${DIR_PREFIX}${await buildInputsHash()}`);
  if (existsSync(join(target, DONE_MARKER))) return target;
  const scratch = await mkdtemp(join(tmpdir(), 'pigeon-e2e-building-'));
  const out = join(scratch, 'dist');
  try {
    const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    await run(process.execPath, [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      timeout: BUILD_TIMEOUT_MS,
    });
    if (!existsSync(join(out, 'index.html'))) throw new Error(`vite build produced no index.html in ${out}`);
    await writeFile(join(out, DONE_MARKER), new Date().toISOString());
    try {
      await rename(out, target);
    } catch (e) {
      // Someone else finished the same build first: theirs is as good as ours.
      if (!existsSync(join(target, DONE_MARKER))) throw e;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await removeStaleBuilds(target);
  return target;
}

export interface AppServer {
  /** The app's URL, with a trailing slash. */
  readonly url: string;
  /** Where the served build lives. */
  readonly dir: string;
  close(): Promise<void>;
}

/** Set to a directory holding a build to serve that build instead (e.g. a deliberately broken one). */
export const APP_DIR_ENV = 'PIGEON_E2E_APP_DIR';

/**
 * Builds the app if needed and serves it on 127.0.0.1 (a secure context, so the camera is allowed).
 * With PIGEON_E2E_APP_DIR set, serves that directory as it is.
 */
export async function serveApp(): Promise<AppServer> {
  const given = process.env[APP_DIR_ENV];
  const dir = given !== undefined && given !== '' ? resolve(given) : await buildApp();
  const server = await serveStatic(dir, { headers: { 'Cache-Control': 'no-store' } });
  return { url: server.url, dir, close: () => server.close() };
}
