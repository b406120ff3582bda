// A browser's memory as the bench reports it: the proportional set size (PSS, shared pages split between the
// processes that share them) summed over the browser's main process and all its descendants, read from /proc.
// The main process is the one whose command line names the browser's private profile directory.
import { readdir, readFile } from 'node:fs/promises';

const SAMPLE_MS = 100;

async function text(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null; // the process ended meanwhile
  }
}

async function processTree(profileDir: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map(Number);
  const parent = new Map<number, number>();
  const roots: number[] = [];
  for (const pid of pids) {
    const stat = await text(`/proc/${pid}/stat`);
    const ppid = stat === null ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== undefined) parent.set(pid, ppid);
    const cmd = await text(`/proc/${pid}/cmdline`);
    if (cmd?.includes(profileDir) === true) roots.push(pid);
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
      if (roots.includes(p)) return true;
      p = parent.get(p);
    }
    return false;
  };
  return pids.filter(inTree);
}

async function pssBytes(pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    const rollup = await text(`/proc/${pid}/smaps_rollup`);
    const kb = rollup === null ? null : /^Pss:\s+(\d+) kB/m.exec(rollup);
    total += kb === null || kb === undefined ? 0 : Number(kb[1]) * 1024;
  }
  return total;
}

/** Samples the browser's PSS until stopped; `peak()` is the largest sum since the last `reset()`. */
export function memorySampler(profileDir: string) {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      // The tree is re-read each time: Chromium starts and ends helper processes along the way.
      peak = Math.max(peak, await pssBytes(await processTree(profileDir)));
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  return {
    reset: () => {
      peak = 0;
    },
    peak: () => peak,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
