// Finds the operating-system process of a browser this test process launched, so a test can kill it the way a
// crash or a dead battery would (SIGKILL: no unload handlers, nothing sent). Only ever our own children, by id.
import { readdirSync, readFileSync } from 'node:fs';
import { type BrowserHandle, type BrowserKind, type LaunchOptions, launchBrowser } from './browsers.ts';

/** The executable names (/proc/PID/comm) of the browsers' main processes. */
const BROWSER_COMM: Readonly<Record<BrowserKind, RegExp>> = {
  chromium: /^chromium/,
  firefox: /^firefox/,
};

interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** R, S, D, Z (zombie: dead, not yet reaped), ... */
  readonly state: string;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...; comm may itself contain spaces and parentheses.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const [state = '', ppid = ''] = stat.slice(close + 2).split(' ');
    return { pid, ppid: Number(ppid), comm: stat.slice(open + 1, close), state };
  } catch {
    return null;
  }
}

/** Direct children of `parent` (default: this process). */
export function childProcesses(parent = process.pid): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info !== null && info.ppid === parent) out.push(info);
  }
  return out;
}

/** False once the process has exited (a zombie waiting to be reaped counts as exited). */
export function isAlive(pid: number): boolean {
  const info = readProc(pid);
  return info !== null && info.state !== 'Z' && info.state !== 'X';
}

export interface TrackedBrowser {
  readonly browser: BrowserHandle;
  /** The browser's main process, a direct child of this process. */
  readonly pid: number;
}

/**
 * Launches a browser and identifies its main process as the one new browser child of this process.
 * Do not launch other browsers from this process concurrently (the difference would be ambiguous: it throws).
 */
export async function launchWithPid(kind: BrowserKind, opts: LaunchOptions = {}): Promise<TrackedBrowser> {
  const before = new Set(childProcesses().map((p) => p.pid));
  const browser = await launchBrowser(kind, opts);
  const fresh = childProcesses().filter((p) => !before.has(p.pid) && BROWSER_COMM[kind].test(p.comm));
  const only = fresh[0];
  if (fresh.length !== 1 || only === undefined) {
    await browser.close();
    throw new Error(`launchWithPid: expected one new ${kind} process, found ${JSON.stringify(fresh)}`);
  }
  return { browser, pid: only.pid };
}

/** SIGKILL, as a crash would; resolves once the process is gone (or throws after `timeoutMs`). */
export async function killHard(pid: number, timeoutMs = 10_000): Promise<void> {
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still alive ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
