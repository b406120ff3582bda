// Transfer benchmark: for each pairing (sender → receiver: Chromium → Chromium, Chromium → Firefox,
// Firefox → Chromium), two fresh browsers are paired through the app; a generated file goes through the app's
// files path (framing, SHA-256 on both sides, acknowledgements, Blob storage), then the same bytes go as a bare
// blast over a plain negotiated data channel on the same connection (no framing, no hashing; the chunk size the
// app uses there, min(MAX_CHUNK, the sender's pc.sctp.maxMessageSize), and the same bufferedAmount pacing).
// Prints MB/s for both, their ratio, and the receiving browser's peak memory (PSS of all its processes), per
// pairing side by side. Every step has a named timeout, and a step that overruns says which one it was.
//
//   npm run -s bench:transfer [-- --mb 256] [-- --pairs cc,cf,fc]
//
// Must run inside scripts/netns-run (the npm script does that).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CHUNK } from '../src/transfer/protocol.ts';
import { HIGH_WATER_BYTES, LOW_WATER_BYTES, READ_BLOCK_BYTES } from '../src/transfer/sender.ts';
import { AppPage, pairByText } from '../test/e2e/harness/app.ts';
import { serveApp } from '../test/e2e/harness/app-build.ts';
import {
  type BrowserHandle,
  type BrowserKind,
  launchChromium,
  launchFirefox,
} from '../test/e2e/harness/browsers.ts';
import { assertInNetns } from '../test/e2e/harness/netns.ts';
import { memorySampler } from './bench-memory.ts';
import {
  acceptAndTime,
  addBenchInput,
  blastReceive,
  blastSend,
  openBlastChannel,
  type Pacing,
} from './bench-pages.ts';
import { jobResult, step } from './bench-steps.ts';

const MB = 1024 * 1024;
const DEFAULT_SIZE_MB = 256;
const BLAST_CHANNEL_ID = 9;
/** Step limits. A transfer may take this long per MiB (0.5 MB/s is far below anything seen), at least the floor. */
const BUILD_TIMEOUT_MS = 240_000;
const LAUNCH_TIMEOUT_MS = 60_000;
const OPEN_TIMEOUT_MS = 45_000;
const PAIR_TIMEOUT_MS = 90_000;
const TRANSFER_MS_PER_MIB = 2_000;
const TRANSFER_FLOOR_MS = 60_000;
const SMALL_STEP_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 20_000;

const PAIRINGS: Record<string, readonly [BrowserKind, BrowserKind]> = {
  cc: ['chromium', 'chromium'],
  cf: ['chromium', 'firefox'],
  fc: ['firefox', 'chromium'],
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sizeArg(): number {
  const n = Number(arg('--mb') ?? DEFAULT_SIZE_MB);
  if (!Number.isFinite(n) || n <= 0) throw new Error('--mb needs a positive number');
  return Math.round(n * MB);
}

function pairsArg(): string[] {
  const pairs = (arg('--pairs') ?? 'cc,cf,fc').split(',');
  for (const p of pairs) if (!(p in PAIRINGS)) throw new Error(`--pairs: unknown pairing ${p} (cc, cf, fc)`);
  return pairs;
}

const launch = (kind: BrowserKind) => (kind === 'chromium' ? launchChromium() : launchFirefox());

interface Result {
  readonly pairing: string;
  readonly appMBps: number;
  readonly bareMBps: number;
  readonly chunk: number;
  readonly limits: readonly [number, number];
  readonly appPeak: number;
  readonly barePeak: number;
}

async function benchPair(key: string, serverUrl: string, path: string, size: number, sha256: string) {
  const [sendKind, recvKind] = PAIRINGS[key] ?? ['chromium', 'chromium'];
  const label = `${sendKind} → ${recvKind}`;
  const transferMs = Math.max(TRANSFER_FLOOR_MS, (size / MB) * TRANSFER_MS_PER_MIB);
  const browsers: BrowserHandle[] = [];
  try {
    const ca = await step(`${label}: launch the sender's ${sendKind}`, LAUNCH_TIMEOUT_MS, () =>
      launch(sendKind),
    );
    browsers.push(ca);
    const cb = await step(`${label}: launch the receiver's ${recvKind}`, LAUNCH_TIMEOUT_MS, () =>
      launch(recvKind),
    );
    browsers.push(cb);
    const a = await step(`${label}: open the app (sender)`, OPEN_TIMEOUT_MS, () =>
      AppPage.open(ca, serverUrl, 'A'),
    );
    const b = await step(`${label}: open the app (receiver)`, OPEN_TIMEOUT_MS, () =>
      AppPage.open(cb, serverUrl, 'B'),
    );
    await step(`${label}: pair by text codes`, PAIR_TIMEOUT_MS, () => pairByText(a, b));
    const memory = memorySampler(cb.profileDir);
    try {
      // 1. Through the app.
      memory.reset();
      await b.evaluate(acceptAndTime, { key: 'app', name: 'bench.bin' });
      await step(`${label}: pick the file in the app`, SMALL_STEP_TIMEOUT_MS, () =>
        a.pickFile('files-pick', path),
      );
      const app = await jobResult<{ ms: number; status: string; sha256: string }>(
        b,
        'app',
        `${label}: the app transfer`,
        transferMs,
      );
      const appPeak = memory.peak();
      if (app.status !== 'done' || app.sha256 !== sha256)
        throw new Error(`${label}: app transfer ended ${app.status}, digest ${app.sha256}`);
      // Let the received Blob go before the blast, so the two memory peaks are comparable.
      await step(`${label}: remove the received file`, SMALL_STEP_TIMEOUT_MS, () =>
        b.evaluate(
          () => document.querySelector<HTMLElement>('[data-testid="transfer-remove"]')?.click(),
          undefined,
        ),
      );

      // 2. The same bytes, bare, in the chunk size the app uses on this connection.
      const probe: Pacing = {
        key: 'bare',
        id: BLAST_CHANNEL_ID,
        chunk: 0,
        block: READ_BLOCK_BYTES,
        high: HIGH_WATER_BYTES,
        low: LOW_WATER_BYTES,
        size,
      };
      const limits = await step(`${label}: open the bare channel`, SMALL_STEP_TIMEOUT_MS, () =>
        Promise.all([a.evaluate(openBlastChannel, probe), b.evaluate(openBlastChannel, probe)]),
      );
      const pacing: Pacing = { ...probe, chunk: Math.min(MAX_CHUNK, limits[0] > 0 ? limits[0] : MAX_CHUNK) };
      await step(`${label}: pick the bare file`, SMALL_STEP_TIMEOUT_MS, async () => {
        await a.evaluate(addBenchInput, undefined);
        await a.pickFile('bench-file', path);
      });
      memory.reset();
      await a.evaluate(blastSend, { ...pacing, key: 'bare-sent' });
      await b.evaluate(blastReceive, pacing);
      const bareMs = await jobResult<number>(b, 'bare', `${label}: the bare transfer`, transferMs);
      await jobResult(a, 'bare-sent', `${label}: the bare sender's end`, SMALL_STEP_TIMEOUT_MS);
      const barePeak = memory.peak();
      const mbps = (ms: number) => size / MB / (ms / 1000);
      return {
        pairing: label,
        appMBps: mbps(app.ms),
        bareMBps: mbps(bareMs),
        chunk: pacing.chunk,
        limits,
        appPeak,
        barePeak,
      } satisfies Result;
    } finally {
      await memory.stop();
    }
  } finally {
    for (const browser of browsers)
      await step(`${label}: close ${browser.kind}`, CLOSE_TIMEOUT_MS, () => browser.close()).catch(
        (e: unknown) => console.error(String(e)),
      );
  }
}

async function main(): Promise<void> {
  assertInNetns();
  const size = sizeArg();
  const pairs = pairsArg();
  const dir = await mkdtemp(join(tmpdir(), 'pigeon-bench-'));
  const server = await step('build and serve the app', BUILD_TIMEOUT_MS, () => serveApp());
  const results: Result[] = [];
  try {
    const path = join(dir, 'bench.bin');
    const data = randomBytes(size);
    await writeFile(path, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    console.log(
      `file: ${(size / MB).toFixed(0)} MiB, sha256 ${sha256.slice(0, 16)}… (verified by the receiver)`,
    );
    for (const key of pairs) {
      const r = await benchPair(key, server.url, path, size, sha256);
      results.push(r);
      console.log(
        `${r.pairing}: app ${r.appMBps.toFixed(1)} MB/s, bare ${r.bareMBps.toFixed(1)} MB/s, ratio ${(r.appMBps / r.bareMBps).toFixed(2)}`,
      );
    }
  } finally {
    await step('stop the app server', CLOSE_TIMEOUT_MS, () => server.close()).catch((e: unknown) =>
      console.error(String(e)),
    );
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    '\npairing (sender → receiver) | app MB/s | bare MB/s | ratio | chunk | sctp max (snd/rcv) | receiver peak PSS app / bare',
  );
  for (const r of results) {
    console.log(
      [
        r.pairing.padEnd(22),
        r.appMBps.toFixed(1).padStart(8),
        r.bareMBps.toFixed(1).padStart(9),
        (r.appMBps / r.bareMBps).toFixed(2).padStart(5),
        `${r.chunk / 1024} KiB`.padStart(8),
        `${r.limits[0]}/${r.limits[1]}`.padStart(22),
        `${(r.appPeak / MB).toFixed(0)} / ${(r.barePeak / MB).toFixed(0)} MiB`,
      ].join(' | '),
    );
  }
  console.log('target: app ≥ 0.90 × bare');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
