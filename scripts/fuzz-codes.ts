// 100,000 hostile inputs through the code decoder the UI uses (test/unit/codec/hostile-inputs.ts): random text,
// bit-flipped and truncated real codes, foreign formats, oversized input, decompression bombs. Fails on any
// exception or a result that is neither a typed error nor a usable description; prints the outcomes, the time
// and the peak memory. `npm run fuzz:codes [-- --runs N --seed S]`.

import fc from 'fast-check';
import { decodeLikeTheApp, hostileInput, type Outcome } from '../test/unit/codec/hostile-inputs.ts';

const DEFAULT_RUNS = 100_000;
const DEFAULT_SEED = 14;
const MB = 1024 * 1024;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isSafeInteger(v) && v > 0 ? v : fallback;
}

const runs = option('--runs', DEFAULT_RUNS);
const seed = option('--seed', DEFAULT_SEED);
const outcomes = new Map<Outcome, number>();
let peakRss = process.memoryUsage().rss;
let slowest = { ms: 0, chars: 0, outcome: '' };
let longest = 0;
const started = performance.now();
const result = fc.check(
  fc.property(hostileInput, ({ text, path, offerSdp }) => {
    const t = performance.now();
    const outcome = decodeLikeTheApp(text, path, offerSdp);
    const ms = performance.now() - t;
    if (ms > slowest.ms) slowest = { ms, chars: text.length, outcome };
    longest = Math.max(longest, text.length);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }),
  { numRuns: runs, seed },
);
const seconds = (performance.now() - started) / 1000;

const lines = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k.padEnd(18)} ${n}`);
console.log(`${runs} inputs (seed ${seed}) in ${seconds.toFixed(1)} s`);
console.log(lines.join('\n'));
console.log(
  `longest input ${longest} chars; slowest ${slowest.ms.toFixed(1)} ms (${slowest.chars} chars, ${slowest.outcome})`,
);
console.log(
  `peak RSS ${(peakRss / MB).toFixed(0)} MB sampled after each input; process high-water ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
if (result.failed) {
  console.error(`FAILED after ${result.numRuns} inputs: ${String(result.errorInstance)}`);
  console.error(`counterexample: ${JSON.stringify(result.counterexample)?.slice(0, 2000)}`);
  process.exit(1);
}
console.log('0 uncaught exceptions; every input a typed error or a valid code');
