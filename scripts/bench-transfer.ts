// Transfer benchmark: two real Chromiums paired through the app, then a generated file sent through the app's
// files path (framing, SHA-256 on both sides, acknowledgements, Blob storage), and the same bytes as a bare
// blast over a plain negotiated data channel on the same connection (no framing, no hashing, same chunk size
// and the same bufferedAmount pacing). Prints MB/s for both, their ratio, and the receiving page's peak JS heap.
//
//   npm run -s bench:transfer [-- --mb 256]
//
// Must run inside scripts/netns-run (the npm script does that).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page as PlaywrightPage } from 'playwright-core';
import { HIGH_WATER_BYTES, LOW_WATER_BYTES, READ_BLOCK_BYTES } from '../src/transfer/manager.ts';
import { DEFAULT_MAX_CHUNK } from '../src/transfer/protocol.ts';
import { AppPage, pairByText } from '../test/e2e/harness/app.ts';
import { serveApp } from '../test/e2e/harness/app-build.ts';
import { launchChromium } from '../test/e2e/harness/browsers.ts';
import { assertInNetns } from '../test/e2e/harness/netns.ts';

const MB = 1024 * 1024;
const DEFAULT_SIZE_MB = 256;
const MEMORY_SAMPLE_MS = 100;
const RUN_TIMEOUT_MS = 600_000;
const BLAST_CHANNEL_ID = 9;

function sizeArg(): number {
  const i = process.argv.indexOf('--mb');
  const n = i >= 0 ? Number(process.argv[i + 1]) : DEFAULT_SIZE_MB;
  if (!Number.isFinite(n) || n <= 0) throw new Error('--mb needs a positive number');
  return Math.round(n * MB);
}

/** Samples the page's JS heap through the DevTools protocol until stopped; returns the peak in bytes. */
async function heapSampler(page: PlaywrightPage) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      peak = Math.max(peak, used);
      await new Promise((r) => setTimeout(r, MEMORY_SAMPLE_MS));
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
      await cdp.detach();
    },
  };
}

/** Receiver page: accepts the offer and times it until the verified 'done' (ms, by the page's clock). */
function acceptAndTime(name: string): Promise<{ ms: number; status: string }> {
  return new Promise((resolve) => {
    let started = 0;
    const timer = setInterval(() => {
      const row = [...document.querySelectorAll<HTMLElement>('[data-testid="transfer"]')].find(
        (r) => r.querySelector('[data-testid="transfer-name"]')?.textContent === name,
      );
      if (row === undefined) return;
      if (started === 0 && row.dataset.status === 'offered') {
        started = Date.now();
        row.querySelector<HTMLElement>('[data-testid="transfer-accept"]')?.click();
        return;
      }
      const status = row.dataset.status ?? '';
      if (started !== 0 && (status === 'done' || status === 'failed' || status === 'cancelled')) {
        clearInterval(timer);
        resolve({ ms: Date.now() - started, status });
      }
    }, 2);
  });
}

interface Pacing {
  readonly id: number;
  readonly chunk: number;
  readonly block: number;
  readonly high: number;
  readonly low: number;
  readonly size: number;
}

/** Both pages: the bench channel on the app's connection (negotiated, so both make it). */
function openBlastChannel(p: Pacing): Promise<void> {
  const probe = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
  const pc = probe.pcs[probe.pcs.length - 1];
  if (pc === undefined) throw new Error('no peer connection');
  const ch = pc.createDataChannel('bench', { negotiated: true, id: p.id, ordered: true });
  ch.binaryType = 'arraybuffer';
  ch.bufferedAmountLowThreshold = p.low;
  (window as unknown as { __blast: RTCDataChannel }).__blast = ch;
  return new Promise((resolve) => {
    if (ch.readyState === 'open') resolve();
    else ch.addEventListener('open', () => resolve(), { once: true });
  });
}

/** Receiver: counts bytes, says 'go', and times until the last byte (ms, by its clock). */
function blastReceive(p: Pacing): Promise<number> {
  const ch = (window as unknown as { __blast: RTCDataChannel }).__blast;
  return new Promise((resolve) => {
    let got = 0;
    const started = Date.now();
    ch.addEventListener('message', (e) => {
      got += (e.data as ArrayBuffer).byteLength;
      if (got >= p.size) resolve(Date.now() - started);
    });
    ch.send('go');
  });
}

/** Sender: on 'go', reads the picked file slice by slice (with one block read ahead) and sends it, paced. */
function blastSend(p: Pacing): Promise<void> {
  const w = window as unknown as { __blast: RTCDataChannel; __benchFile: File };
  const ch = w.__blast;
  const file = w.__benchFile;
  return new Promise((resolve, reject) => {
    ch.addEventListener(
      'message',
      async () => {
        try {
          const read = (at: number) => file.slice(at, Math.min(p.size, at + p.block)).arrayBuffer();
          let at = 0;
          let next: Promise<ArrayBuffer> | null = read(0);
          while (next !== null) {
            const block: Uint8Array<ArrayBuffer> = new Uint8Array(await next);
            const blockAt = at;
            next = blockAt + block.length < p.size ? read(blockAt + block.length) : null;
            for (let o = 0; o < block.length; o += p.chunk) {
              while (ch.bufferedAmount > p.high)
                await new Promise((r) => ch.addEventListener('bufferedamountlow', r, { once: true }));
              ch.send(block.subarray(o, Math.min(block.length, o + p.chunk)));
            }
            at = blockAt + block.length;
          }
          resolve();
        } catch (e) {
          reject(e);
        }
      },
      { once: true },
    );
  });
}

async function main(): Promise<void> {
  assertInNetns();
  const size = sizeArg();
  const dir = await mkdtemp(join(tmpdir(), 'pigeon-bench-'));
  const server = await serveApp();
  const [ca, cb] = [await launchChromium(), await launchChromium()];
  try {
    const path = join(dir, 'bench.bin');
    const data = randomBytes(size);
    await writeFile(path, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const a = await AppPage.open(ca, server.url, 'A');
    const b = await AppPage.open(cb, server.url, 'B');
    await pairByText(a, b);
    const heap = await heapSampler(b.page.raw as PlaywrightPage);

    // 1. Through the app.
    const timing = b.evaluate(acceptAndTime, 'bench.bin');
    await a.pickFile('files-pick', path);
    const app = await Promise.race([
      timing,
      new Promise<never>((_, fail) =>
        setTimeout(() => fail(new Error('app transfer timed out')), RUN_TIMEOUT_MS),
      ),
    ]);
    const appPeak = heap.peak();
    const got = await b.evaluate(
      () => document.querySelector<HTMLElement>('[data-testid="transfer"]')?.dataset.sha256 ?? '',
      undefined,
    );
    if (app.status !== 'done' || got !== sha256)
      throw new Error(`app transfer ended ${app.status}, digest ${got}`);
    // Let the received Blob go before the blast, so the two heap peaks are comparable.
    await b.evaluate(
      () => document.querySelector<HTMLElement>('[data-testid="transfer-remove"]')?.click(),
      undefined,
    );

    // 2. The same bytes, bare.
    const pacing: Pacing = {
      id: BLAST_CHANNEL_ID,
      chunk: DEFAULT_MAX_CHUNK,
      block: READ_BLOCK_BYTES,
      high: HIGH_WATER_BYTES,
      low: LOW_WATER_BYTES,
      size,
    };
    await Promise.all([a.evaluate(openBlastChannel, pacing), b.evaluate(openBlastChannel, pacing)]);
    const pick = a.page.raw as PlaywrightPage;
    await pick.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-file';
      document.body.append(input);
    });
    await pick.locator('#bench-file').setInputFiles(path);
    await pick.evaluate(() => {
      const input = document.getElementById('bench-file') as HTMLInputElement;
      const file = input.files?.[0];
      if (file === undefined) throw new Error('no bench file');
      (window as unknown as { __benchFile: File }).__benchFile = file;
    });
    heap.reset();
    const sending = a.evaluate(blastSend, pacing);
    const blastMs = await b.evaluate(blastReceive, pacing);
    await sending;
    const blastPeak = heap.peak();
    await heap.stop();

    const mbps = (ms: number) => size / MB / (ms / 1000);
    const appRate = mbps(app.ms);
    const blastRate = mbps(blastMs);
    console.log(
      `file: ${(size / MB).toFixed(0)} MiB, sha256 ${sha256.slice(0, 16)}… (verified by the receiver)`,
    );
    console.log(`app transfer:  ${appRate.toFixed(1)} MB/s  (${app.ms} ms, accept → verified)`);
    console.log(`bare blast:    ${blastRate.toFixed(1)} MB/s  (${blastMs} ms)`);
    console.log(`ratio:         ${(appRate / blastRate).toFixed(2)}  (target ≥ 0.80)`);
    console.log(
      `receiver peak JS heap: app ${(appPeak / MB).toFixed(1)} MiB, blast ${(blastPeak / MB).toFixed(1)} MiB`,
    );
    await a.close();
    await b.close();
  } finally {
    await ca.close().catch(() => undefined);
    await cb.close().catch(() => undefined);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
