// Group bench (issue 16, proof 6): four devices (Chromium A and B, Firefox C and D) make a full mesh through the
// app as people do: A and B pair by codes, C joins A, D joins B, the rest in-band. Then one file goes over one
// link, A → B ("Send files to Bo…"), while the other five links are idle; then every device sends its own file
// to everyone at once (12 transfers on 6 links, each link both ways) and A → B is timed again. Prints MB/s of
// A → B idle and busy, their ratio, and the mesh's total. Timed from Accept to verified, as the receiver's row
// shows it. Not part of `npm test`: timings on a shared machine are noisy (ratios from one run, side by side).
//
//   npm run -s bench:group [-- --mb 32]
//
// Must run inside scripts/netns-run (the npm script does that).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppPage, t } from '../test/e2e/harness/app.ts';
import { serveApp } from '../test/e2e/harness/app-build.ts';
import { type BrowserHandle, launchChromium, launchFirefox } from '../test/e2e/harness/browsers.ts';
import { nameDevice, pickFiles } from '../test/e2e/harness/by-role.ts';
import { add, meshUp, pair, shown } from '../test/e2e/harness/group.ts';
import { assertInNetns } from '../test/e2e/harness/netns.ts';
import { acceptAndTime } from './bench-pages.ts';
import { jobResult, step } from './bench-steps.ts';

const MB = 1024 * 1024;
const DEFAULT_SIZE_MB = 32;
const BUILD_TIMEOUT_MS = 240_000;
const LAUNCH_TIMEOUT_MS = 60_000;
const MESH_TIMEOUT_MS = 180_000;
/** A transfer may take this long per MiB while all twelve run (0.1 MB/s each is far below anything seen). */
const TRANSFER_MS_PER_MIB = 10_000;
const CLOSE_TIMEOUT_MS = 20_000;

interface Timed {
  readonly ms: number;
  readonly status: string;
}

function sizeArg(): number {
  const i = process.argv.indexOf('--mb');
  const n = Number(i >= 0 ? process.argv[i + 1] : DEFAULT_SIZE_MB);
  if (!Number.isFinite(n) || n <= 0) throw new Error('--mb needs a positive number');
  return Math.round(n * MB);
}

const mbps = (bytes: number, ms: number) => bytes / MB / (ms / 1000);

async function main(): Promise<void> {
  assertInNetns();
  const size = sizeArg();
  const transferMs = (size / MB) * TRANSFER_MS_PER_MIB;
  const dir = await mkdtemp(join(tmpdir(), 'pigeon-bench-group-'));
  const server = await step('build and serve the app', BUILD_TIMEOUT_MS, () => serveApp());
  const browsers: BrowserHandle[] = [];
  try {
    for (const launch of [launchChromium, launchChromium, launchFirefox, launchFirefox])
      browsers.push(await step('launch a browser', LAUNCH_TIMEOUT_MS, () => launch()));
    const names = ['Ana', 'Bo', 'Cy', 'Di'] as const;
    const pages: AppPage[] = [];
    for (const [i, name] of names.entries()) {
      const browser = browsers[i];
      if (browser === undefined) throw new Error('a browser did not launch');
      const page = await AppPage.open(browser, server.url, name);
      await nameDevice(page, name);
      pages.push(page);
    }
    const [a, b, c, d] = pages as [AppPage, AppPage, AppPage, AppPage];
    await step('the full mesh (6 links)', MESH_TIMEOUT_MS, async () => {
      const offer = await pair(a, b);
      await add(a, c, offer);
      await add(b, d, '');
      await meshUp(pages.map((p, i) => [p, names[i] ?? ''] as [AppPage, string]));
    });

    // One link, the others idle.
    const idle = join(dir, 'idle.bin');
    await writeFile(idle, randomBytes(size));
    await b.evaluate(acceptAndTime, { key: 'idle', name: 'idle.bin' });
    await pickFiles(a, [idle], t('group.sendFiles', { name: shown('Bo') }));
    const alone = await jobResult<Timed>(b, 'idle', 'A → B alone', transferMs);

    // Every device to everyone at once.
    const files = names.map((n) => join(dir, `from-${n}.bin`));
    for (const f of files) await writeFile(f, randomBytes(size));
    for (const [i, page] of pages.entries())
      for (const [j, n] of names.entries())
        if (i !== j) await page.evaluate(acceptAndTime, { key: `from-${n}`, name: `from-${n}.bin` });
    const began = Date.now();
    await Promise.all(pages.map((p, i) => pickFiles(p, [files[i] ?? ''])));
    const busy: Timed[][] = await Promise.all(
      pages.map((p, i) =>
        Promise.all(
          names
            .filter((_, j) => j !== i)
            .map((n) => jobResult<Timed>(p, `from-${n}`, `${n} → ${p.name}, all sending`, transferMs)),
        ),
      ),
    );
    const wall = Date.now() - began;
    const all = busy.flat();
    const failed = [alone, ...all].filter((x) => x.status !== 'done');
    if (failed.length > 0)
      throw new Error(`${failed.length} transfers did not finish: ${JSON.stringify(failed)}`);
    const ab = busy[1]?.[0];
    if (ab === undefined) throw new Error('no A → B result');
    const idleRate = mbps(size, alone.ms);
    const busyRate = mbps(size, ab.ms);
    console.log(`file ${(size / MB).toFixed(0)} MiB; a 4-mesh (Chromium A, B; Firefox C, D)`);
    console.log(`A → B, the other links idle:        ${idleRate.toFixed(1)} MB/s`);
    console.log(
      `A → B, all 12 transfers at once:     ${busyRate.toFixed(1)} MB/s (${(busyRate / idleRate).toFixed(2)} × idle)`,
    );
    console.log(
      `the mesh, all 12 at once:            ${mbps(12 * size, wall).toFixed(1)} MB/s in all, ${(wall / 1000).toFixed(1)} s`,
    );
    for (const [i, p] of pages.entries())
      console.log(
        `  into ${p.name}: ${names
          .filter((_, j) => j !== i)
          .map((n, k) => `${n} ${mbps(size, busy[i]?.[k]?.ms ?? Number.NaN).toFixed(1)}`)
          .join(', ')} MB/s`,
      );
  } finally {
    for (const browser of browsers)
      await step(`close ${browser.kind}`, CLOSE_TIMEOUT_MS, () => browser.close()).catch(() => undefined);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
