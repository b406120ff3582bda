// The terminal peer (`pigeon`, src/cli on node-datachannel) against the real app in Chromium and Firefox:
// files both ways with the browser's own SHA-256 of what it got, chat both ways, hang-ups both ways, and the
// one-line refusals of bad codes.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDescription } from '../../src/codec/index.ts';
import { AppPage, t } from './harness/app.ts';
import { downloadedSha256, recordObjectUrls, type Source, source, tapIn, waitRow } from './harness/files.ts';
import { chromiumAndFirefox } from './harness/suite.ts';
import { Terminal } from './harness/terminal.ts';

const MB = 1024 * 1024;
const TRANSFER_TIMEOUT_MS = 120_000;
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_INTERRUPTED = 130;
const FIXTURES = join(import.meta.dirname, '../fixtures/sdp/base');

const suite = chromiumAndFirefox();
let dir: string;
const terminals: Terminal[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pigeon-cli-e2e-'));
});
afterAll(async () => {
  for (const term of terminals) term.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function pigeon(args: readonly string[], name = 'pigeon'): Terminal {
  const term = new Terminal(args, name);
  terminals.push(term);
  return term;
}

async function openApp(kind: 'chromium' | 'firefox', label: string): Promise<AppPage> {
  const app = await AppPage.open(suite[kind], suite.server.url, label);
  await app.evaluate(recordObjectUrls, undefined);
  return app;
}

/** The app accepts the offered file and keeps it; returns the browser's SHA-256 of the bytes it holds. */
async function appReceives(app: AppPage, file: Source): Promise<string> {
  const offered = await waitRow(
    app,
    `the offer of ${file.name}`,
    (r) => r.name === file.name && r.status === 'offered',
  );
  expect(offered).toMatchObject({ direction: 'in', size: file.size });
  await tapIn(app, offered.id, 'transfer-accept');
  await waitRow(
    app,
    `${file.name} received`,
    (r) => r.id === offered.id && r.status === 'done',
    TRANSFER_TIMEOUT_MS,
  );
  return app.evaluate(downloadedSha256, offered.id);
}

describe('terminal starts, the app joins', () => {
  for (const kind of ['chromium', 'firefox'] as const) {
    it(`pigeon send → ${kind} app: 20 MB, the browser's SHA-256 equals the source's; pigeon exits 0`, async () => {
      const file = await source(dir, `to-${kind}.bin`, 20 * MB);
      const term = pigeon(['send', file.path, '--app', suite.server.url], `send→${kind}`);
      const app = await openApp(kind, kind);
      try {
        const offer = await term.code();
        // The link in the QR and on screen carries the same code after '#'.
        await term.line('stderr', `#${offer}`);
        const answer = await app.join(offer);
        term.type(answer);
        await app.waitConnected();
        expect(await appReceives(app, file)).toBe(file.sha256);
        await term.line('stderr', 'All 1 file(s) verified by the other device.', TRANSFER_TIMEOUT_MS);
        expect(await term.exitCode()).toBe(EXIT_OK);
        expect(term.errors()).toEqual([]);
        // Its bye reached the app.
        await app.waitFor('the hang-up', (s) => s.state === t('closed.remote-hangup'));
        expect(await app.pageErrors()).toEqual([]);
      } finally {
        term.kill();
        await app.close();
      }
    }, 240_000);
  }
});

describe('the app starts, the terminal joins', () => {
  it('Chromium → pigeon join: a file saved with the same SHA-256, chat both ways, the app hangs up → pigeon says so', async () => {
    const into = await mkdtemp(join(dir, 'join-'));
    const file = await source(dir, 'from-chromium.bin', 5 * MB);
    const app = await openApp('chromium', 'C');
    try {
      const offer = await app.start();
      const term = pigeon(['join', offer, '--dir', into], 'join');
      const answer = await term.code();
      await app.enterCode(answer);
      await app.waitConnected();
      await term.line('stderr', 'Connected');
      await app.pickFile('files-pick', file.path);
      await term.line('stderr', '✓ saved', TRANSFER_TIMEOUT_MS);
      const saved = await readFile(join(into, file.name));
      expect(createHash('sha256').update(saved).digest('hex')).toBe(file.sha256);
      await waitRow(app, 'the file confirmed', (r) => r.name === file.name && r.status === 'done');
      // Chat: a typed line arrives in the app, the app's message is printed as a line.
      term.type('hello from the terminal');
      await app.waitTheirs('hello from the terminal');
      await app.send('hello from Chromium');
      await term.line('stdout', 'hello from Chromium');
      // The terminal acknowledged it, as the app does.
      await app.waitDelivered('hello from Chromium');
      await app.tap('hangup');
      await term.line('stderr', 'The other device hung up.');
      expect(await term.exitCode()).toBe(EXIT_OK);
      expect(term.errors()).toEqual([]);
      expect(await app.pageErrors()).toEqual([]);
    } finally {
      await app.close();
    }
  }, 240_000);

  it('Firefox → pigeon join: a file saved with the same SHA-256', async () => {
    const into = await mkdtemp(join(dir, 'join-ff-'));
    const file = await source(dir, 'from-firefox.bin', 5 * MB);
    const app = await openApp('firefox', 'F');
    try {
      const offer = await app.start();
      const term = pigeon(['join', offer, '--dir', into], 'join-ff');
      await app.enterCode(await term.code());
      await app.waitConnected();
      await term.line('stderr', 'Connected');
      await app.pickFile('files-pick', file.path);
      await term.line('stderr', '✓ saved', TRANSFER_TIMEOUT_MS);
      const saved = await readFile(join(into, file.name));
      expect(createHash('sha256').update(saved).digest('hex')).toBe(file.sha256);
      await waitRow(app, 'the file confirmed', (r) => r.name === file.name && r.status === 'done');
      await app.tap('hangup');
      await term.line('stderr', 'The other device hung up.');
      expect(await term.exitCode()).toBe(EXIT_OK);
      expect(term.errors()).toEqual([]);
    } finally {
      await app.close();
    }
  }, 240_000);
});

describe('the terminal starts, for chat and for receiving', () => {
  it('pigeon chat ↔ Firefox both ways; Ctrl-C on the terminal → the app shows the hang-up', async () => {
    const term = pigeon(['chat'], 'chat');
    const app = await openApp('firefox', 'F');
    try {
      term.type(await app.join(await term.code()));
      await app.waitConnected();
      await term.line('stderr', 'Connected');
      await app.send('hello from Firefox');
      await term.line('stdout', 'hello from Firefox');
      await app.waitDelivered('hello from Firefox');
      term.type('hello from the terminal');
      await app.waitTheirs('hello from the terminal');
      term.interrupt();
      await term.line('stderr', 'Bye.');
      expect(await term.exitCode()).toBe(EXIT_INTERRUPTED);
      await app.waitFor('the hang-up', (s) => s.state === t('closed.remote-hangup'));
    } finally {
      term.kill();
      await app.close();
    }
  }, 120_000);

  it('pigeon receive DIR ← Chromium: saved with the same SHA-256; an existing name is refused, not replaced', async () => {
    const into = await mkdtemp(join(dir, 'receive-'));
    const file = await source(dir, 'to-terminal.bin', 2 * MB);
    const clash = await source(into, 'clash.bin', 1024);
    const theirs = await source(dir, 'clash.bin', 2048);
    const term = pigeon(['receive', into], 'receive');
    const app = await openApp('chromium', 'C');
    try {
      term.type(await app.join(await term.code()));
      await app.waitConnected();
      await app.pickFile('files-pick', file.path);
      await term.line('stderr', `✓ saved ${join(into, file.name)}`, TRANSFER_TIMEOUT_MS);
      expect(
        createHash('sha256')
          .update(await readFile(join(into, file.name)))
          .digest('hex'),
      ).toBe(file.sha256);
      await app.pickFile('files-pick', theirs.path);
      await term.line('stderr', 'clash.bin: not saved');
      await waitRow(app, 'the decline', (r) => r.name === 'clash.bin' && r.status === 'declined');
      expect(
        createHash('sha256')
          .update(await readFile(clash.path))
          .digest('hex'),
      ).toBe(clash.sha256);
      await app.tap('hangup');
      await term.line('stderr', 'The other device hung up.');
      // A file was refused: the session ends with a failure.
      expect(await term.exitCode()).toBe(EXIT_FAILED);
      expect(term.errors()).toEqual([
        `pigeon: clash.bin: not saved: ${join(into, 'clash.bin')} exists (--overwrite replaces it)`,
      ]);
    } finally {
      term.kill();
      await app.close();
    }
  }, 120_000);
});

describe('bad input: one line, exit non-zero', () => {
  it('garbage and a cut code given to join', async () => {
    const garbage = pigeon(['join', '%%% not a code %%%']);
    expect(await garbage.exitCode()).toBe(EXIT_FAILED);
    expect(garbage.errors()).toEqual(['pigeon: that is not a Pigeon code']);
    const app = await openApp('chromium', 'C');
    try {
      const offer = await app.start();
      const cut = pigeon(['join', offer.slice(0, Math.floor(offer.length * 0.6))]);
      expect(await cut.exitCode()).toBe(EXIT_FAILED);
      expect(cut.errors()).toEqual(['pigeon: that code is cut short; copy all of it']);
    } finally {
      await app.close();
    }
  });

  it("another session's answer given to send (and garbage as the answer)", async () => {
    const offer = await readFile(join(FIXTURES, 'chrome-chrome-rawip-offer.sdp'), 'utf8');
    const answer = await readFile(join(FIXTURES, 'chrome-chrome-rawip-answer.sdp'), 'utf8');
    const other = encodeDescription({ type: 'answer', sdp: answer }, { offerSdp: offer });
    if (!other.ok) throw new Error('fixture answer did not encode');
    const file = await source(dir, 'never-sent.bin', 1024);
    const wrong = pigeon(['send', file.path, '--answer', other.value.text]);
    expect(await wrong.exitCode()).toBe(EXIT_FAILED);
    expect(wrong.errors()).toEqual(['pigeon: that answer belongs to another offer, not to this one']);
    const junk = pigeon(['send', file.path]);
    await junk.code();
    junk.type('%%% garbage %%%');
    expect(await junk.exitCode()).toBe(EXIT_FAILED);
    expect(junk.errors()).toEqual(['pigeon: that is not a Pigeon code']);
  });
});
