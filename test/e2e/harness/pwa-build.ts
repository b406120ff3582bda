// Production builds of the app for the PWA tests, each in its own cached directory under the system temp dir
// (never the shared dist/, which others rebuild at any moment). `buildId` makes a second, different version of
// the same sources (vite.config.ts appends PIGEON_BUILD_ID to the app version baked into the bundle), which is
// what a service-worker update needs: another sw.js, another entry chunk.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BUILD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];
const DIR_PREFIX = 'pigeon-pwa-build-';
const DONE_MARKER = '.build-complete';
const BUILD_TIMEOUT_MS = 240_000;
/** Builds older than this are removed when a new one is made. */
const STALE_BUILD_MS = 24 * 60 * 60 * 1000;

async function filesUnder(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  if ((await stat(path)).isFile()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path)).sort()) out.push(...(await filesUnder(join(path, entry))));
  return out;
}

async function inputsHash(buildId: string): Promise<string> {
  const hash = createHash('sha256').update(`build-id:${buildId}\0`);
  for (const input of BUILD_INPUTS) {
    for (const file of await filesUnder(join(REPO_ROOT, input))) {
      hash.update(`${relative(REPO_ROOT, file)}\0`).update(await readFile(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function removeStale(keep: string): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith(DIR_PREFIX) || path === keep) continue;
    try {
      if (Date.now() - (await stat(path)).mtimeMs > STALE_BUILD_MS)
        await rm(path, { recursive: true, force: true });
    } catch {
      // Removed by someone else meanwhile.
    }
  }
}

/**
 * A directory holding `vite build` of the current sources (with PIGEON_BUILD_ID=buildId when given). Reused
 * while the sources are unchanged; concurrent callers each build into scratch space and the first rename wins.
 */
export async function buildPwa(buildId = ''): Promise<string> {
  const target = join(tmpdir(), `${DIR_PREFIX}${await inputsHash(buildId)}`);
  if (existsSync(join(target, DONE_MARKER))) return target;
  const scratch = await mkdtemp(join(tmpdir(), 'pigeon-pwa-building-'));
  const out = join(scratch, 'dist');
  try {
    const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const env = { ...process.env, PIGEON_BUILD_ID: buildId };
    await run(process.execPath, [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      env,
      timeout: BUILD_TIMEOUT_MS,
    });
    if (!existsSync(join(out, 'index.html'))) throw new Error(`vite build produced no index.html in ${out}`);
    await writeFile(join(out, DONE_MARKER), new Date().toISOString());
    try {
      await rename(out, target);
    } catch (e) {
      if (!existsSync(join(target, DONE_MARKER))) throw e;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await removeStale(target);
  return target;
}

/** The entry chunk named by a build's index.html, e.g. 'assets/index-AbC123.js'. */
export async function entryScript(buildDir: string): Promise<string> {
  const html = await readFile(join(buildDir, 'index.html'), 'utf8');
  const m = /<script type="module"[^>]*src="\.\/([^"]+\.js)"/.exec(html);
  if (m?.[1] === undefined) throw new Error(`no module script in ${buildDir}/index.html`);
  return m[1];
}

/** Makes `dir` hold exactly a copy of `buildDir` (what a deploy does to a static host's folder). */
export async function deploy(buildDir: string, dir: string): Promise<void> {
  for (const name of await readdir(dir)) await rm(join(dir, name), { recursive: true, force: true });
  await cp(buildDir, dir, { recursive: true });
}
