import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixtures } from './fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const run = (args: string[], input = '') =>
  spawnSync(TSX, ['scripts/code.ts', ...args], { cwd: ROOT, input, encoding: 'utf8' });

const fx = loadFixtures();
const offer = fx.find((f) => f.name.endsWith('firefox-chrome-mdns-offer.sdp'));
const answer = fx.find((f) => f.name.endsWith('firefox-chrome-mdns-answer.sdp'));

/** Each test starts tsx processes: seconds each when CI's two cores are busy with browsers. */
const CLI_TIMEOUT_MS = 60_000;

describe('npm run code', { timeout: CLI_TIMEOUT_MS }, () => {
  it('encode then decode gives the description back', () => {
    if (!offer) throw new Error('fixture missing');
    const code = run(['encode'], offer.sdp);
    expect(code.status).toBe(0);
    expect(code.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{60,110}$/);
    const back = run(['decode'], code.stdout);
    expect(back.status).toBe(0);
    const json = JSON.parse(back.stdout) as { type: string; sdp: string; format: string };
    expect(json.type).toBe('offer');
    expect(json.format).toBe('pigeon');
    expect(json.sdp).toContain('a=ice-ufrag:');
  });

  it('encodes an answer bound to the offer given with --offer', () => {
    if (!offer || !answer) throw new Error('fixture missing');
    const dir = mkdtempSync(join(tmpdir(), 'pigeon-cli-'));
    writeFileSync(join(dir, 'offer.sdp'), offer.sdp);
    const code = run(['encode', '--offer', join(dir, 'offer.sdp')], answer.sdp);
    expect(code.status).toBe(0);
    expect(run(['decode', '--offer', join(dir, 'offer.sdp')], code.stdout).status).toBe(0);
    expect(run(['encode'], answer.sdp).status).not.toBe(0);
  });

  it('refuses bad input with one line on stderr and a non-zero exit', () => {
    const r = run(['decode'], 'definitely not a code');
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('stats prints a row per file and a summary, and fails on a file that cannot round-trip', () => {
    const ok = execFileSync(TSX, ['scripts/code.ts', 'stats', 'test/fixtures/sdp/base'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const lines = ok.trim().split('\n');
    expect(lines.length).toBe(fx.filter((f) => f.name.startsWith('base/')).length + 2);
    expect(lines.at(-1)).toMatch(/^summary: \d+ files, 0 failed/);
    const dir = mkdtempSync(join(tmpdir(), 'pigeon-stats-'));
    writeFileSync(join(dir, 'broken-offer.sdp'), 'this is not SDP');
    expect(run(['stats', dir]).status).not.toBe(0);
  });
});
