// Received files stay inside their folder, never replace a file unless asked, and only appear once verified.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskSink, targetIn } from '../../../src/cli/disk.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pigeon-disk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe('where a received file goes', () => {
  it('names a peer sends are made safe and never leave the folder', () => {
    expect(targetIn(dir, 'photo.jpg')).toBe(join(dir, 'photo.jpg'));
    expect(targetIn(dir, '../../etc/passwd')).toBe(join(dir, 'passwd'));
    expect(targetIn(dir, '..\\..\\boot.ini')).toBe(join(dir, 'boot.ini'));
    expect(targetIn(dir, '..')).toBe(join(dir, 'file'));
    expect(targetIn(dir, '.bashrc')).toBe(join(dir, 'bashrc'));
    expect(targetIn(dir, '/abs/path/x')).toBe(join(dir, 'x'));
    expect(targetIn(dir, 'con.txt')).toBe(join(dir, '_con.txt'));
  });
});

describe('the disk sink', () => {
  it('the file appears only on finish; a hidden part file is all there is before', async () => {
    const target = join(dir, 'a.txt');
    const sink = await diskSink(target, { overwrite: false });
    await sink.write(bytes('hello '));
    await sink.write(bytes('world'));
    const before = await readdir(dir);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatch(/^\.a\.txt\..*\.part$/);
    expect(await sink.finish()).toBeNull();
    expect(await readdir(dir)).toEqual(['a.txt']);
    expect(await readFile(target, 'utf8')).toBe('hello world');
  });

  it('abort (digest mismatch, cancel) leaves nothing', async () => {
    const sink = await diskSink(join(dir, 'b.txt'), { overwrite: false });
    await sink.write(bytes('partial'));
    await sink.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it('an existing file is never replaced without overwrite, and is with it', async () => {
    const target = join(dir, 'c.txt');
    await writeFile(target, 'mine');
    const refused = await diskSink(target, { overwrite: false });
    await refused.write(bytes('theirs'));
    await expect(refused.finish()).rejects.toThrow(/EEXIST/);
    expect(await readFile(target, 'utf8')).toBe('mine');
    expect(await readdir(dir)).toEqual(['c.txt']);
    const replacing = await diskSink(target, { overwrite: true });
    await replacing.write(bytes('theirs'));
    await replacing.finish();
    expect(await readFile(target, 'utf8')).toBe('theirs');
  });
});
