// The package as a user gets it, in steps another script or test can reuse: `npm pack` (whose `prepack` builds the
// CLI and the codec), then the tarball installed into an empty folder with nothing else. Every step is bounded.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = resolve(import.meta.dirname, '..');
/** `npm pack` runs the prepack builds (esbuild twice, tsc for the codec's types): ~20 s here under load. */
export const PACK_TIMEOUT_MS = 180_000;
/** Installing the tarball fetches node-datachannel and the other dependencies (or reads them from the cache). */
export const INSTALL_TIMEOUT_MS = 180_000;
/** `npx pigeon --help` and similar one-shot commands in the installed folder. */
export const COMMAND_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface Packed {
  /** The tarball's full path. */
  readonly tarball: string;
  readonly files: readonly string[];
}

/** Runs a command with a timeout; the error names the command and carries its stderr. */
export async function runStep(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = COMMAND_TIMEOUT_MS,
  signal?: AbortSignal,
): Promise<string> {
  try {
    const { stdout } = await run(command, [...args], {
      cwd,
      encoding: 'utf8',
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: MAX_OUTPUT_BYTES,
      ...(signal ? { signal } : {}),
    });
    return stdout;
  } catch (error) {
    const e = error as { killed?: boolean; stderr?: string; message?: string };
    const why = e.killed ? `timed out after ${timeoutMs} ms` : (e.message ?? String(error));
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}): ${why}\n${e.stderr ?? ''}`.trim());
  }
}

/** `npm pack` of this repository into `dest`. */
export async function packInto(dest: string, signal?: AbortSignal): Promise<Packed> {
  const out = await runStep(
    'npm',
    ['pack', '--json', '--pack-destination', dest],
    ROOT,
    PACK_TIMEOUT_MS,
    signal,
  );
  const packed = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  const first = packed[0];
  if (first === undefined) throw new Error('npm pack made nothing');
  return { tarball: join(dest, first.filename), files: first.files.map((f) => f.path) };
}

export interface InstallOptions {
  /**
   * Never the network: inside scripts/netns-run there is none (an online install there waits for the registry
   * until its timeout). Fails at once when something is not in npm's cache.
   */
  readonly offline?: boolean;
  readonly signal?: AbortSignal;
}

interface LockEntry {
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly [field: string]: unknown;
}

/**
 * A lock for an empty folder holding only the tarball: the tarball, and the project's own lock entries for
 * what it needs at run time (none of the dev-only ones). Why: `npm install` reads each dependency's full
 * registry document (npm 11 asks for it), while `npm ci` caches only the abbreviated one, so on a fresh machine
 * an offline `npm install <tarball>` finds nothing to resolve with; `npm ci` from this lock needs only the
 * dependencies' tarballs, which the project's `npm ci` cached. A dependency the package leaves out of its
 * `dependencies` is dev-only in the project's lock, so it is not installed, and the package fails to run.
 */
async function lockFor(tarball: string): Promise<object> {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const own = lock.packages[''] ?? {};
  const packages: Record<string, unknown> = {
    '': { dependencies: { pigeon: `file:${tarball}` } },
    'node_modules/pigeon': {
      version: own.version,
      resolved: `file:${tarball}`,
      license: own.license,
      dependencies: own.dependencies,
      bin: own.bin,
      engines: own.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages))
    if (path.startsWith('node_modules/') && !entry.dev && !entry.devOptional) packages[path] = entry;
  return { lockfileVersion: 3, requires: true, packages };
}

/**
 * A new empty folder `dir` with only a package.json (offline: and the lock from `lockFor`), and the tarball
 * installed into it.
 */
export async function installInto(dir: string, tarball: string, opts: InstallOptions = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const quiet = ['--no-audit', '--no-fund'];
  if (!opts.offline) {
    await writeFile(join(dir, 'package.json'), '{"private":true}\n');
    await runStep('npm', ['install', ...quiet, tarball], dir, INSTALL_TIMEOUT_MS, opts.signal);
    return;
  }
  const manifest = { private: true, dependencies: { pigeon: `file:${tarball}` } };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(await lockFor(tarball), null, 2)}\n`);
  await runStep('npm', ['ci', '--offline', ...quiet], dir, INSTALL_TIMEOUT_MS, opts.signal);
}
