// Runs one e2e test file (optionally only the tests whose names match a pattern) many times in a row, each run
// a fresh vitest process with fresh browsers inside the private namespace, and reports how many passed.
// Not part of `npm test`: a flaky test is a bug, and this is how to see one before CI does.
//
//   npm run -s stress -- test/e2e/call.test.ts ["name pattern"] [runs=20]
//
// The log of every failed run is kept (its path is printed); the last lines of each failure are shown.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DEFAULT_RUNS = 20;
/** One run of one file: the slowest file (late-answer) takes ~7 min; anything longer is a hang. */
const RUN_TIMEOUT_MS = 15 * 60_000;
const TAIL_LINES = 25;
const MEASURE = 'measure:';
/** vitest's summary line; a run in which no test passed proves nothing (e.g. a pattern that matched none). */
const PASSED_SUMMARY = /^\s*Tests\s+(\d+) passed/m;
const REPO_ROOT = resolve(import.meta.dirname, '..');

const [file, pattern, runsArg] = process.argv.slice(2);
if (file === undefined || file === '--help') {
  console.error('usage: npm run -s stress -- <test file> [name pattern] [runs]');
  process.exit(2);
}
const runs = runsArg === undefined ? DEFAULT_RUNS : Number(runsArg);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`stress: runs must be a positive whole number, not ${runsArg}`);
  process.exit(2);
}

function runOnce(): Promise<{ ok: boolean; output: string; ms: number }> {
  const args = ['npx', 'vitest', 'run', '--project', 'e2e', file as string];
  if (pattern !== undefined && pattern !== '') args.push('-t', pattern);
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(join(REPO_ROOT, 'scripts', 'netns-run'), args, { cwd: REPO_ROOT, detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => {
      output += `\nstress: the run took longer than ${RUN_TIMEOUT_MS / 60_000} min and was stopped\n`;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ ok: code === 0, output, ms: Date.now() - started });
    });
  });
}

const logDir = mkdtempSync(join(tmpdir(), 'pigeon-stress-'));
let passed = 0;
const failures: string[] = [];
for (let i = 1; i <= runs; i++) {
  const run = await runOnce();
  const secs = (run.ms / 1000).toFixed(0);
  // A test's own numbers (lines it prints starting with 'measure:', e.g. time to recover) are shown for every run.
  const plainOut = run.output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  const ranSome = Number(PASSED_SUMMARY.exec(plainOut)?.[1] ?? 0) > 0;
  const ok = run.ok && ranSome;
  const output = ranSome
    ? run.output
    : `${run.output}\nstress: no test ran (does the name pattern match one?)\n`;
  const measures = plainOut.split('\n').filter((line) => line.startsWith(MEASURE));
  if (ok) {
    passed++;
    console.log(`run ${i}/${runs}: passed (${secs} s)`);
    for (const line of measures) console.log(`  ${line}`);
    continue;
  }
  const log = join(logDir, `run-${i}.log`);
  writeFileSync(log, output);
  failures.push(log);
  const plain = plainOut; // ANSI colours make the tail unreadable in a log file.
  const tail = plain.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
  console.log(`run ${i}/${runs}: FAILED (${secs} s), log ${log}\n${tail}\n`);
}
console.log(`stress ${file}${pattern ? ` -t "${pattern}"` : ''}: ${passed} of ${runs} runs passed`);
if (failures.length > 0) console.log(`failed runs' logs: ${failures.join(' ')}`);
process.exit(failures.length === 0 ? 0 : 1);
