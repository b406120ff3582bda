// The terminal peer (`pigeon`, src/cli) as a child process: its output read line by line, lines typed into its
// stdin, Ctrl-C sent by its own process id. Run from source through tsx, as `npx pigeon` runs the built file;
// or, given `installedIn`, as `npx pigeon` itself in a folder where the packed tarball was installed.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = resolve(ROOT, 'src/cli/bin.ts');
export const TERMINAL_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

/**
 * Where the terminals of this test process keep their certificate (PIGEON_HOME): one folder, as on a machine
 * where pigeon runs again and again, and never the home folder of whoever runs the tests.
 */
let home: string | undefined;
function testHome(): string {
  if (home === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'pigeon-home-'));
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
    home = made;
  }
  return home;
}

/** A text code: one line of base64url, as pigeon prints it on stdout. */
const CODE_LINE = /^[A-Za-z0-9_-]{40,}$/;

export interface TerminalOptions {
  /** A folder with the packed package installed: runs `npx --offline pigeon ARGS` there instead of the source. */
  readonly installedIn?: string;
}

export class Terminal {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;
  /** The child leads its own process group (npx and the pigeon it started). */
  private readonly group: boolean;

  constructor(
    args: readonly string[],
    readonly name = 'pigeon',
    opts: TerminalOptions = {},
  ) {
    const env = { ...process.env, PIGEON_HOME: testHome() };
    this.child =
      opts.installedIn === undefined
        ? spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env })
        : // A process group of its own: npx runs pigeon as its child, and kill() must end both.
          spawn('npx', ['--offline', 'pigeon', ...args], { cwd: opts.installedIn, detached: true, env });
    this.group = opts.installedIn !== undefined;
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
    });
    this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
  }

  /** Waits until `read()` finds something; the error shows both streams. */
  async waitFor<T>(what: string, read: () => T | null, timeoutMs = TERMINAL_TIMEOUT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = read();
      if (found !== null) return found;
      if (Date.now() > deadline)
        throw new Error(
          `${this.name}: timed out after ${timeoutMs} ms waiting for ${what}; ` +
            `stdout ${JSON.stringify(this.stdout)}; stderr ${JSON.stringify(this.stderr)}`,
        );
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** The n-th text code printed on stdout (0: the first). */
  code(n = 0): Promise<string> {
    return this.waitFor(
      `code #${n}`,
      () => this.stdout.split('\n').filter((l) => CODE_LINE.test(l))[n] ?? null,
    );
  }

  /** Waits for a line on stdout (chat) or stderr (status) that contains `text`. */
  line(stream: 'stdout' | 'stderr', text: string, timeoutMs = TERMINAL_TIMEOUT_MS): Promise<string> {
    return this.waitFor(
      `${JSON.stringify(text)} on ${stream}`,
      () => this[stream].split('\n').find((l) => l.includes(text)) ?? null,
      timeoutMs,
    );
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  endInput(): void {
    this.child.stdin.end();
  }

  interrupt(): void {
    this.child.kill('SIGINT');
  }

  /** The exit code, waiting at most `timeoutMs`. */
  async exitCode(timeoutMs = TERMINAL_TIMEOUT_MS): Promise<number | null> {
    return this.waitFor(
      'the exit',
      () => (this.child.exitCode === null ? null : { code: this.child.exitCode }),
      timeoutMs,
    ).then((r) => r.code);
  }

  /** The lines pigeon printed as errors. */
  errors(): string[] {
    return this.stderr.split('\n').filter((l) => l.startsWith('pigeon: '));
  }

  kill(): void {
    if (this.child.exitCode !== null) return;
    const pid = this.child.pid;
    if (this.group && pid !== undefined) process.kill(-pid, 'SIGKILL');
    else this.child.kill('SIGKILL');
  }
}
