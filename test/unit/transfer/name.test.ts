// A peer's file name becomes one safe name: no folders, control characters or reserved names, bounded length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FALLBACK_NAME,
  FALLBACK_TYPE,
  MAX_NAME_CHARS,
  sanitizeFileName,
  sanitizeMimeType,
} from '../../../src/transfer/name.ts';

/** Far above the linear code's worst here (< 5 ms), far below the quadratic regex's (~3 s). */
const LINEAR_BOUND_MS = 500;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\System32\\evil.dll', 'evil.dll'],
    ['C:\\Users\\me\\photo.jpg', 'photo.jpg'],
    ['/abs/path/', FALLBACK_NAME],
    ['..', FALLBACK_NAME],
    ['.bashrc', 'bashrc'],
    ['a\u0000b\u001fc\u007f.txt', 'abc.txt'],
    ['evil\u202Etxt.exe', 'eviltxt.exe'],
    ['what?<>:"|*.txt', 'what_______.txt'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['com1.tar.gz', '_com1.tar.gz'],
    ['console.txt', 'console.txt'],
    ['trailing. . ', 'trailing'],
    ['', FALLBACK_NAME],
    ['   ', FALLBACK_NAME],
    ['照片.png', '照片.png'],
  ])('%j → %j', (raw, safe) => {
    expect(sanitizeFileName(raw)).toBe(safe);
  });

  it.each([
    ['U+061C arabic letter mark', 'a\u061Cb.txt'],
    ['U+2028 line separator', 'a\u2028b.txt'],
    ['U+2029 paragraph separator', 'a\u2029b.txt'],
    ['U+180E mongolian vowel separator', 'a\u180Eb.txt'],
    ['U+2060 word joiner', 'a\u2060b.txt'],
    ['U+2061–2064 invisible operators', 'a\u2061\u2062\u2063\u2064b.txt'],
    ['U+00AD soft hyphen', 'a\u00ADb.txt'],
    ['tag characters', 'a\u{E0001}\u{E0041}\u{E007F}b.txt'],
    ['a lone surrogate', 'a\uD800b.txt'],
  ])('drops invisible characters: %s', (_, raw) => {
    expect(sanitizeFileName(raw)).toBe('ab.txt');
  });

  it.each([
    ['con .txt', '_con .txt'],
    ['aux\u00A0.txt', '_aux\u00A0.txt'],
    ['NUL. .tar.gz', '_NUL. .tar.gz'],
    ['com1\u3000.log', '_com1\u3000.log'],
  ])('a device name with spaces or dots before its extension is still reserved: %j', (raw, safe) => {
    expect(sanitizeFileName(raw)).toBe(safe);
  });

  it('shortening never leaves a trailing space or dot, with or without an extension', () => {
    const noExt = sanitizeFileName(`${'a'.repeat(MAX_NAME_CHARS - 1)} ${'b'.repeat(50)}`);
    expect(noExt).toBe('a'.repeat(MAX_NAME_CHARS - 1));
    const withExt = sanitizeFileName(`${'a'.repeat(100)}${' '.repeat(30)}b.zip`);
    expect(withExt).toBe(`${'a'.repeat(100)}.zip`);
  });

  it('a long name shortened down to a device name is still refused as one', () => {
    expect(sanitizeFileName(`con${' '.repeat(200)}x`)).toBe('_con');
  });

  it('a 40,000-character run of dots or spaces is handled in linear time', () => {
    // The old trailing-run regex retried from every dot: ~3 s a name here under load; the loop takes < 5 ms.
    const started = performance.now();
    expect(sanitizeFileName(`a${'.'.repeat(40_000)}b`)).toBe('a.b');
    expect(sanitizeFileName(`a${' '.repeat(40_000)}b`)).toBe('a');
    expect(performance.now() - started).toBeLessThan(LINEAR_BOUND_MS);
  });

  it('a 10,000-character name is shortened, keeping its extension', () => {
    const safe = sanitizeFileName(`${'x'.repeat(10_000)}.zip`);
    expect([...safe].length).toBe(MAX_NAME_CHARS);
    expect(safe.endsWith('.zip')).toBe(true);
  });

  it('never yields a separator, a control character, a leading dot or an over-long name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        const safe = sanitizeFileName(raw);
        expect(safe).not.toMatch(/[/\\<>:"|?*]/);
        expect([...safe].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f')).toBe(false);
        expect(safe.startsWith('.')).toBe(false);
        expect(safe.length).toBeGreaterThan(0);
        expect([...safe].length).toBeLessThanOrEqual(MAX_NAME_CHARS);
        expect(safe).not.toMatch(INVISIBLE);
        expect(safe).not.toMatch(/[.\s]$/u);
        expect(safe).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)[\s.]*(\.|$)/i);
      }),
    );
  });
});

describe('sanitizeMimeType', () => {
  it('keeps plain types, lower-cased', () => {
    expect(sanitizeMimeType('image/PNG')).toBe('image/png');
    expect(sanitizeMimeType('application/vnd.ms-excel')).toBe('application/vnd.ms-excel');
  });
  it('anything else becomes the generic binary type', () => {
    for (const bad of [
      '',
      'text/html; charset=utf-8',
      'nonsense',
      'a/b/c',
      `x/${'y'.repeat(200)}`,
      'text/<b>',
    ])
      expect(sanitizeMimeType(bad), bad).toBe(FALLBACK_TYPE);
  });
});
