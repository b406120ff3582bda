// The terminal peer (`pigeon`, src/cli on node-datachannel) against the real app in Chromium and Firefox:
// files both ways with the browser's own SHA-256 of what it got, chat both ways, hang-ups both ways, and the
// one-line refusals of bad codes.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDescription } from '../../src/codec/index.ts';
import { PEER_SILENCE_MS } from '../../src/rtc/index.ts';
import { AppPage, MESSAGE_TIMEOUT_MS, t } from './harness/app.ts';
import { press, waitShown } from './harness/by-role.ts';
import { sendToApp } from './harness/cli-flows.ts';
import { recordObjectUrls, source, waitRow } from './harness/files.ts';
import { killHard, launchWithPid } from './harness/processes.ts';
import { wordsOf } from './harness/safety.ts';
import { chromiumAndFirefox } from './harness/suite.ts';
import { Terminal } from './harness/terminal.ts';

const MB = 1024 * 1024;
const TRANSFER_TIMEOUT_MS = 120_000;
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_INTERRUPTED = 130;
/** The session's silence timeout plus its check interval and the polling: the terminal's promise to the person. */
const PEER_GONE_LIMIT_MS = PEER_SILENCE_MS + 5_000;
const KEEPALIVE_SETTLE_MS = 3_000;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

describe('terminal starts, the app joins', () => {
  for (const kind of ['chromium', 'firefox'] as const) {
    it(`pigeon send → ${kind} app: 20 MB, the browser's SHA-256 equals the source's; pigeon exits 0`, async () => {
      const file = await source(dir, `to-${kind}.bin`, 20 * MB);
      const term = pigeon(['send', file.path, '--app', suite.server.url], `send→${kind}`);
      const app = await openApp(kind, kind);
      try {
        await sendToApp(term, app, file, TRANSFER_TIMEOUT_MS);
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

  it('Firefox → pigeon join: the terminal prints the safety words the app shows; /differ there ends both', async () => {
    const into = await mkdtemp(join(dir, 'words-'));
    const app = await openApp('firefox', 'F');
    try {
      const term = pigeon(['join', await app.start(), '--dir', into], 'words');
      await app.enterCode(await term.code());
      await app.waitConnected();
      const printed = await term.line('stderr', 'Safety words:');
      expect(printed).toBe(`Safety words: ${(await wordsOf(app)).join('  ')}`);
      await press(app, t('safety.match'));
      await term.line('stderr', 'The other person says the safety words match.');
      term.type('/differ');
      await term.line('stderr', 'The safety words did not match');
      expect(await term.exitCode()).toBe(EXIT_FAILED);
      await waitShown(app, t('closed.words-differ'), MESSAGE_TIMEOUT_MS);
      expect(await app.pageErrors()).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

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

  it('pigeon chat ← Chromium, whose browser process is then killed: pigeon says it stopped answering, exit 1', async () => {
    const term = pigeon(['chat'], 'chat-killed');
    // Its own browser, launched alone so its process is known: a SIGKILL sends nothing, not even a bye.
    const victim = await launchWithPid('chromium');
    try {
      const app = await AppPage.open(victim.browser, suite.server.url, 'C (killed)');
      term.type(await app.join(await term.code()));
      await app.waitConnected();
      await term.line('stderr', 'Connected');
      await app.send('hello before the crash');
      await term.line('stdout', 'hello before the crash');
      // Let a keep-alive round or two pass, so the kill lands mid-rhythm.
      await sleep(KEEPALIVE_SETTLE_MS);
      const killedAt = Date.now();
      await killHard(victim.pid);
      await term.line('stderr', 'The other device stopped answering.', PEER_GONE_LIMIT_MS);
      const afterMs = Date.now() - killedAt;
      console.log(`cli peer gone: pigeon said so ${afterMs} ms after the kill`);
      expect(await term.exitCode()).toBe(EXIT_FAILED);
      expect(term.errors()).toEqual(['pigeon: The other device stopped answering.']);
    } finally {
      term.kill();
      await victim.browser.close().catch(() => undefined);
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
