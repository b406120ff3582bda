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
