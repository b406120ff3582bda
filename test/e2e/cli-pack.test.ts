// The package as a person gets it (proof 6 of issue 15): `npm pack`, the tarball installed into an empty folder,
// and `npx pigeon send FILE` run there pairs with the app in Chromium; the file arrives with the same SHA-256
// and the command exits 0. The install reads npm's cache only (this namespace has no way to the registry), with
// the project's lock standing in for the registry's documents (scripts/pack.ts lockFor).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { INSTALL_TIMEOUT_MS, installInto, PACK_TIMEOUT_MS, packInto } from '../../scripts/pack.ts';
import { AppPage } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, launchChromium } from './harness/browsers.ts';
import { sendToApp } from './harness/cli-flows.ts';
import { source } from './harness/files.ts';
import { assertInNetns } from './harness/netns.ts';
import { Terminal } from './harness/terminal.ts';

const MB = 1024 * 1024;
const FILE_BYTES = 5 * MB;
const TRANSFER_TIMEOUT_MS = 60_000;

let work: string;
let installed: string;
let server: AppServer | undefined;
let chromium: BrowserHandle | undefined;
let term: Terminal | undefined;

beforeAll(async () => {
  assertInNetns();
  work = await mkdtemp(join(tmpdir(), 'pigeon-cli-pack-'));
  let since = Date.now();
  const packed = await packInto(work);
  console.log(`cli pack: npm pack (with its prepack builds) took ${Date.now() - since} ms`);
  installed = join(work, 'empty');
  since = Date.now();
  await installInto(installed, packed.tarball, { offline: true });
  console.log(`cli pack: npm install of the tarball into an empty folder took ${Date.now() - since} ms`);
  server = await serveApp();
  chromium = await launchChromium();
}, PACK_TIMEOUT_MS + INSTALL_TIMEOUT_MS);

afterAll(async () => {
  term?.kill();
  await chromium?.close().catch(() => undefined);
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('npx pigeon send FILE from the installed tarball → Chromium app: same SHA-256, exit 0', async () => {
    if (server === undefined || chromium === undefined) throw new Error('not set up');
    const file = await source(work, 'from-the-package.bin', FILE_BYTES);
    term = new Terminal(['send', file.path, '--app', server.url], 'npx pigeon send', {
      installedIn: installed,
    });
    const app = await AppPage.open(chromium, server.url, 'C');
    try {
      await sendToApp(term, app, file, TRANSFER_TIMEOUT_MS);
    } finally {
      await app.close();
    }
  });
});
