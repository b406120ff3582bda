import fc from 'fast-check';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { linkFor } from '../../../src/codec/index.ts';
import { decodeFrame } from '../../../src/qr/decode-frame';
import { rasterise } from '../../../src/qr/raster';
import {
  codeQrSvg,
  isDark,
  type QrLevel,
  type QrMatrix,
  QUIET_ZONE,
  qrMatrix,
  qrSvg,
  qrVersion,
  qrVersionForText,
} from '../../../src/qr/render';
import { SAMPLE_PREFIX, sampleCode } from './support/codes';

const CODE = sampleCode(1);
const LEVELS: readonly QrLevel[] = ['L', 'M', 'Q', 'H'];
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
// QR symbols grow by 4 modules a version from 21 at version 1.
const sideOf = (version: number) => 17 + 4 * version;

function matrixOf(payload: Parameters<typeof qrMatrix>[0], level?: QrLevel): QrMatrix {
  const result = qrMatrix(payload, { level });
  if (!result.ok) throw new Error(`refused: ${result.error.kind}`);
  return result.value;
}

function readBack(matrix: QrMatrix): string | null {
  const image = rasterise(matrix, { scale: 4 });
  return decodeFrame(image.data, image.width, image.height);
}

describe('qrMatrix', () => {
  it('renders a code that decodes back to itself at every level, growing with the level', () => {
    const versions = LEVELS.map((level) => {
      const matrix = matrixOf({ code: CODE }, level);
      expect(matrix.level).toBe(level);
      expect(matrix.size).toBe(sideOf(matrix.version));
      expect(matrix.modules).toHaveLength(matrix.size * matrix.size);
      expect(readBack(matrix)).toBe(CODE);
      return matrix.version;
    });
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions[0]).toBeLessThan(versions[3] ?? 0);
  });

  it('defaults to error correction level M', () => {
    expect(matrixOf({ code: CODE }).level).toBe('M');
  });

  it('puts the prefix in a byte segment and the code in an alphanumeric one, read as one string', () => {
    const image = rasterise(matrixOf({ prefix: SAMPLE_PREFIX, code: CODE }), { scale: 4 });
    const found = jsQR(image.data, image.width, image.height);
    expect(found?.data).toBe(SAMPLE_PREFIX + CODE);
    expect(found?.chunks.map((chunk) => chunk.type)).toEqual(['byte', 'alphanumeric']);
  });

  it('treats an empty prefix as no prefix', () => {
    expect(matrixOf({ prefix: '', code: CODE }).modules).toEqual(matrixOf({ code: CODE }).modules);
  });

  it('refuses codes outside the alphanumeric set, saying where', () => {
    expect(qrMatrix({ code: 'ABC-def' })).toEqual({
      ok: false,
      error: { kind: 'not-alphanumeric', index: 4, char: 'd' },
    });
    expect(qrMatrix({ code: 'A#B' })).toEqual({
      ok: false,
      error: { kind: 'not-alphanumeric', index: 1, char: '#' },
    });
  });

  it('refuses an empty code and one no symbol can hold', () => {
    expect(qrMatrix({ code: '' })).toEqual({ ok: false, error: { kind: 'empty' } });
    expect(qrMatrix({ code: 'A'.repeat(5000) })).toEqual({ ok: false, error: { kind: 'too-long' } });
  });

  it('round-trips any alphanumeric code (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength: 1, maxLength: 200 }),
        (code) => {
          const matrix = matrixOf({ code });
          expect(readBack(matrix)).toBe(code);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('symbol versions (ECC M)', () => {
  const prefixed = { prefix: SAMPLE_PREFIX, code: CODE };

  it('measures the 114-character code alone and behind a 40-character https prefix', () => {
    expect(CODE).toHaveLength(114);
    expect(SAMPLE_PREFIX).toHaveLength(40);
    expect(qrVersion({ code: CODE }, 'M')).toEqual({ ok: true, value: 5 });
    expect(qrVersion(prefixed, 'M')).toEqual({ ok: true, value: 7 });
  });

  it('byte prefix + alphanumeric code is smaller than the same string in byte mode', () => {
    expect(qrVersionForText(SAMPLE_PREFIX + CODE, 'M', 'byte')).toEqual({ ok: true, value: 9 });
    expect(qrVersionForText(CODE, 'M', 'byte')).toEqual({ ok: true, value: 7 });
  });

  it('lets qrcode choose modes for raw text, never worse than all bytes', () => {
    for (const text of [CODE, SAMPLE_PREFIX + CODE, 'hello, world', '12345678901234567890']) {
      const auto = qrVersionForText(text, 'M');
      const bytes = qrVersionForText(text, 'M', 'byte');
      if (!auto.ok || !bytes.ok) throw new Error('refused');
      expect(auto.value).toBeLessThanOrEqual(bytes.value);
    }
    expect(qrVersionForText(CODE, 'M')).toEqual({ ok: true, value: 5 });
  });

  it('reports refusals as values', () => {
    expect(qrVersionForText('', 'M')).toEqual({ ok: false, error: { kind: 'empty' } });
    expect(qrVersionForText('x'.repeat(4000), 'M')).toEqual({ ok: false, error: { kind: 'too-long' } });
    expect(qrVersion({ code: 'lower' }, 'M').ok).toBe(false);
  });
});

// Reads the SVG path back into a set of dark modules (each subpath: a run of modules in one row).
function darkModulesOfPath(d: string): Set<string> {
  const dark = new Set<string>();
  const runs = [...d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)];
  expect(runs.map((run) => run[0]).join('')).toBe(d);
  for (const [, x, y, length] of runs) {
    for (let i = 0; i < Number(length); i++) dark.add(`${Number(y)},${Number(x) + i}`);
  }
  return dark;
}

describe('qrSvg', () => {
  const payload = { prefix: SAMPLE_PREFIX, code: CODE };
  const svg = qrSvg(payload);
  const matrix = matrixOf(payload);
  const side = matrix.size + 2 * QUIET_ZONE;

  it('is one scalable SVG with a quiet zone, crisp edges and a title', () => {
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain(`viewBox="0 0 ${side} ${side}"`);
    expect(svg).not.toMatch(/<svg[^>]* (width|height)=/);
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain('<title>QR code</title>');
    expect(svg).toContain(`<rect width="${side}" height="${side}" fill="#fff"/>`);
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toMatch(/<path fill="#000" d="[^"]+"\/><\/svg>$/);
  });

  it('draws exactly the dark modules, offset by the quiet zone', () => {
    const d = /<path fill="#000" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    const drawn = darkModulesOfPath(d);
    const expected = new Set<string>();
    for (let row = 0; row < matrix.size; row++) {
      for (let col = 0; col < matrix.size; col++) {
        if (isDark(matrix, row, col)) expected.add(`${row + QUIET_ZONE},${col + QUIET_ZONE}`);
      }
    }
    expect(drawn).toEqual(expected);
  });

  it('escapes the title', () => {
    expect(qrSvg({ code: CODE }, { title: 'Scan <me> & "go"' })).toContain(
      '<title>Scan &lt;me&gt; &amp; &quot;go&quot;</title>',
    );
  });

  it('honours the level option', () => {
    const high = matrixOf({ code: CODE }, 'H');
    const highSide = high.size + 2 * QUIET_ZONE;
    expect(qrSvg({ code: CODE }, { level: 'H' })).toContain(`viewBox="0 0 ${highSide} ${highSide}"`);
  });

  it('throws a RangeError for a payload our codec should never produce', () => {
    expect(() => qrSvg({ code: 'not upper case' })).toThrow(RangeError);
  });
});

describe('the code panel symbol', () => {
  const prefixOf = (link: string) => link.slice(0, link.indexOf('#') + 1);

  it('a page opened with a 2,000-character query still makes a small link symbol (the query is dropped)', () => {
    const link = linkFor(`https://example.org/pigeon/?q=${'x'.repeat(2_000)}`, 'ignored');
    expect(prefixOf(link)).toBe('https://example.org/pigeon/#');
    const svg = codeQrSvg({ code: CODE, prefix: prefixOf(link) });
    expect(svg).toBe(qrSvg({ code: CODE, prefix: 'https://example.org/pigeon/#' }));
  });

  it('a page address too long for any symbol falls back to the code alone, never to nothing', () => {
    const prefix = `https://example.org/${'p'.repeat(3_000)}/#`;
    expect(qrMatrix({ code: CODE, prefix }).ok).toBe(false);
    expect(codeQrSvg({ code: CODE, prefix })).toBe(qrSvg({ code: CODE }));
  });
});
