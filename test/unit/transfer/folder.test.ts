// A sent folder: each file's folder travels in its offer as an optional `path`, which earlier versions neither
// send nor read, and the receiver keeps only a safe relative path of it.
import { describe, expect, it } from 'vitest';
import {
  folderOf,
  MAX_NAME_CHARS,
  MAX_PATH_CHARS,
  MAX_PATH_DEPTH,
  sanitizeFolderPath,
} from '../../../src/transfer/name.ts';
import {
  encodeFilesMessage,
  type FilesMessage,
  MAX_WIRE_PATH_CHARS,
  parseFilesMessage,
} from '../../../src/transfer/protocol.ts';

const ID = 'abc-123';

describe('sanitizeFolderPath', () => {
  it.each([
    ['photos/2024', 'photos/2024'],
    ['photos\\2024\\june', 'photos/2024/june'],
    ['../../etc', 'etc'],
    ['a/../../b', 'a/b'],
    ['/abs/olute/', 'abs/olute'],
    ['C:\\Users\\me', 'Users/me'],
    ['./a/./b/.', 'a/b'],
    ['...', ''],
    ['', ''],
    ['//', ''],
    ['. ./x', 'x'],
    ['con/aux', '_con/_aux'],
    ['evil\u202Edir/x', 'evildir/x'],
    ['wh?at/<b>', 'wh_at/_b_'],
    ['照片/二〇二四', '照片/二〇二四'],
    ['.hidden/dir', 'hidden/dir'],
  ])('%j → %j', (raw, safe) => {
    expect(sanitizeFolderPath(raw)).toBe(safe);
  });

  it('keeps at most MAX_PATH_DEPTH folders and MAX_PATH_CHARS characters', () => {
    const deep = sanitizeFolderPath(Array.from({ length: 100 }, (_, i) => `d${i}`).join('/'));
    expect(deep.split('/')).toHaveLength(MAX_PATH_DEPTH);
    expect(deep.startsWith('d0/d1/')).toBe(true);
    const long = sanitizeFolderPath(Array.from({ length: 10 }, () => 'x'.repeat(500)).join('/'));
    expect([...long].length).toBeLessThanOrEqual(MAX_PATH_CHARS);
    expect(long.split('/').every((s) => s.length <= MAX_NAME_CHARS && s.length > 0)).toBe(true);
  });

  it('never yields an absolute path, a parent step or an empty segment', () => {
    const nasty = ['/', '\\', '..', '.', ' ', 'a', 'C:', '\u0000', '\u202E', 'nul', '~'];
    for (let i = 0; i < 2000; i++) {
      let raw = '';
      for (let k = 0; k < 1 + (i % 12); k++) raw += nasty[(i * 7 + k * 13) % nasty.length];
      const safe = sanitizeFolderPath(raw);
      if (safe === '') continue;
      expect(safe.startsWith('/')).toBe(false);
      const segments = safe.split('/');
      expect(segments.every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\'))).toBe(true);
      expect(segments.every((s) => !/^[a-z]:$/i.test(s))).toBe(true);
    }
  });

  it('folderOf takes the folder of a browser relative path', () => {
    expect(folderOf('photos/2024/a.jpg')).toBe('photos/2024');
    expect(folderOf('a.jpg')).toBe('');
  });
});

describe('the offer’s path field', () => {
  const base = { v: 1, t: 'offer', id: ID, n: 1, name: 'a.jpg', size: 3, type: '' } as const;

  it('round-trips when present', () => {
    const text = encodeFilesMessage({
      t: 'offer',
      id: ID,
      n: 1,
      name: 'a.jpg',
      size: 3,
      type: '',
      path: 'p/q',
    });
    expect(parseFilesMessage(text)).toEqual({ ok: true, value: { ...base, path: 'p/q' } });
  });

  it('an offer from an earlier version (no path) is a plain file', () => {
    const r = parseFilesMessage(JSON.stringify(base));
    expect(r).toEqual({ ok: true, value: base });
    expect(r.ok && 'path' in r.value).toBe(false);
  });

  it.each([
    ['not text', 5],
    ['too long', 'x'.repeat(MAX_WIRE_PATH_CHARS + 1)],
    ['empty', ''],
  ])('a path that is %s is ignored, the offer stands', (_, path) => {
    expect(parseFilesMessage(JSON.stringify({ ...base, path }))).toEqual({ ok: true, value: base });
  });

  it('an earlier version’s parser (which builds its offer from known fields) reads our offer as a plain file', () => {
    // What version-1 peers before this field did: pick the fields they know, drop the rest.
    const legacy = (text: string): FilesMessage => {
      const o = JSON.parse(text) as Record<string, unknown>;
      return { v: 1, t: 'offer', id: o.id, n: o.n, name: o.name, size: o.size, type: o.type } as FilesMessage;
    };
    const ours = encodeFilesMessage({ ...base, path: 'p/q' });
    expect(legacy(ours)).toEqual(base);
    expect(parseFilesMessage(ours).ok).toBe(true);
  });
});
