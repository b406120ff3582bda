// The command line before any connection: help, usage mistakes (exit 2) and missing files (exit 1), each one line.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, run } from '../../../src/cli/main.ts';

async function pigeon(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await run(argv, {
    stdin: new PassThrough(),
    stdout,
    stderr,
    tty: false,
    interrupt: new AbortController().signal,
  });
  return { code, out, err };
}

describe('pigeon before connecting', () => {
  it('--help and no command print the usage', async () => {
    for (const argv of [['--help'], ['-h'], []]) {
      const r = await pigeon(...argv);
      expect(r.code).toBe(EXIT_OK);
      expect(r.out).toContain('pigeon send FILE...');
      expect(r.out).toContain('pigeon join CODE');
      expect(r.err).toBe('');
    }
  });

  it('usage mistakes: one line, exit 2', async () => {
    for (const argv of [
      ['send'],
      ['fly'],
      ['send', 'x', '--bogus'],
      ['join'],
      ['chat', 'x'],
      ['receive', 'a', 'b'],
    ]) {
      const r = await pigeon(...argv);
      expect(r.code).toBe(EXIT_USAGE);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^pigeon: .*\(pigeon --help\)\n$/);
    }
  });

  it('a missing file or folder, or a bad --app, is refused before pairing: one line, exit 1', async () => {
    const cases: [string[], string][] = [
      [['send', '/nonexistent/file.bin'], 'pigeon: /nonexistent/file.bin: no such file\n'],
      [['send', '/'], 'pigeon: /: not a file\n'],
      [['receive', '/nonexistent-dir'], 'pigeon: /nonexistent-dir: not a folder\n'],
      [['chat', '--app', 'not a url'], 'pigeon: not a url: not a URL\n'],
    ];
    for (const [argv, line] of cases) {
      const r = await pigeon(...argv);
      expect(r.code).toBe(EXIT_FAILED);
      expect(r.err).toBe(line);
      expect(r.out).toBe('');
    }
  });
});
