// Throughput between the terminal peer (pigeon, node-datachannel) and the app in Chromium, both directions,
// through the whole files path (framing, SHA-256 on both sides, acknowledgements; the terminal writes to disk,
// the page keeps Blobs). Prints MB/s beside each other; compare with `npm run -s bench:transfer`
// (browser ↔ browser on the same machine).
//
//   scripts/netns-run npx tsx scripts/bench-cli.ts [--mb 256]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppPage } from '../test/e2e/harness/app.ts';
import { serveApp } from '../test/e2e/harness/app-build.ts';
import { launchChromium } from '../test/e2e/harness/browsers.ts';
import { rows, source, tapIn, waitRow } from '../test/e2e/harness/files.ts';
import { assertInNetns } from '../test/e2e/harness/netns.ts';
import { Terminal } from '../test/e2e/harness/terminal.ts';

const MB = 1024 * 1024;
const DEFAULT_MB = 256;
const RUN_TIMEOUT_MS = 600_000;

const sizeMb = (() => {
  const i = process.argv.indexOf('--mb');
  const n = i >= 0 ? Number(process.argv[i + 1]) : DEFAULT_MB;
  if (!Number.isFinite(n) || n <= 0) throw new Error('--mb needs a positive number');
  return n;
})();

const rate = (bytes: number, ms: number) => `${(bytes / MB / (ms / 1000)).toFixed(1)} MiB/s`;

async function main(): Promise<void> {
  assertInNetns();
  const dir = await mkdtemp(join(tmpdir(), 'pigeon-bench-cli-'));
  const server = await serveApp();
  const chromium = await launchChromium();
  const out: string[] = [];
  try {
    const file = await source(dir, 'bench-out.bin', sizeMb * MB);
    // Terminal → Chromium: from the page's accept to its verified 'done'.
    {
      const term = new Terminal(['send', file.path, '--no-qr'], 'send');
      const app = await AppPage.open(chromium, server.url, 'C');
      term.type(await app.join(await term.code()));
      await app.waitConnected();
      const offered = await waitRow(app, 'the offer', (r) => r.name === file.name && r.status === 'offered');
      const start = Date.now();
      await tapIn(app, offered.id, 'transfer-accept');
      await app.poll(
        'done',
        () => rows(app),
        (rs) => rs.some((r) => r.id === offered.id && r.status === 'done'),
        RUN_TIMEOUT_MS,
      );
      out.push(
        `terminal → Chromium: ${sizeMb} MiB in ${Date.now() - start} ms, ${rate(file.size, Date.now() - start)}`,
      );
      await term.exitCode(RUN_TIMEOUT_MS);
      await app.close();
    }
    // Chromium → terminal: from the pick to the terminal's verified save.
    {
      const into = await mkdtemp(join(dir, 'in-'));
      const app = await AppPage.open(chromium, server.url, 'C');
      const term = new Terminal(['join', await app.start(), '--dir', into, '--no-qr'], 'join');
      await app.enterCode(await term.code());
      await app.waitConnected();
      const start = Date.now();
      await app.pickFile('files-pick', file.path);
      await term.waitFor('the save', () => (term.stderr.includes('✓ saved') ? true : null), RUN_TIMEOUT_MS);
      const ms = Date.now() - start;
      out.push(
        `Chromium → terminal: ${sizeMb} MiB in ${ms} ms, ${rate(file.size, ms)} (includes the offer round trip)`,
      );
      await app.tap('hangup');
      await term.exitCode();
      await app.close();
    }
  } finally {
    await chromium.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  for (const line of out) console.log(line);
}

await main();
