import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, MANIFEST, type ManifestEntry } from '../../../scripts/qr-goldens';
import { luminanceRange, stretchContrast } from '../../../src/qr/contrast';
import { decodeFrame } from '../../../src/qr/decode-frame';
import { rasterise, solidImage } from '../../../src/qr/raster';
import { qrMatrix } from '../../../src/qr/render';
import { sampleCode } from './support/codes';
import { decodePng } from './support/png';

const manifest = JSON.parse(readFileSync(join(GOLDEN_DIR, MANIFEST), 'utf8')) as ManifestEntry[];

describe('decodeFrame on the golden images', () => {
  it('has positive and negative goldens', () => {
    expect(manifest.filter((entry) => entry.expected === null).length).toBeGreaterThanOrEqual(2);
    expect(manifest.filter((entry) => entry.expected !== null).length).toBeGreaterThanOrEqual(10);
  });

  it.each(manifest)('$file', (entry) => {
    const image = decodePng(readFileSync(join(GOLDEN_DIR, entry.file)));
    expect(decodeFrame(image.data, image.width, image.height)).toBe(entry.expected);
  });
});

describe('decodeFrame on any input', () => {
  const sizes = fc.oneof(
    fc.integer({ min: -3, max: 40 }),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0.5, 2 ** 53, -0),
  );

  it('never throws on random bytes with random sizes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 * 40 * 40 }), sizes, sizes, (bytes, width, height) => {
        const result = decodeFrame(new Uint8ClampedArray(bytes), width, height);
        expect(result === null || typeof result === 'string').toBe(true);
      }),
    );
  });

  it('never throws on random frames of matching size', () => {
    const frame = fc
      .record({ width: fc.integer({ min: 1, max: 48 }), height: fc.integer({ min: 1, max: 48 }) })
      .chain(({ width, height }) =>
        fc.record({
          width: fc.constant(width),
          height: fc.constant(height),
          bytes: fc.uint8Array({ minLength: width * height * 4, maxLength: width * height * 4 }),
        }),
      );
    fc.assert(
      fc.property(frame, ({ width, height, bytes }) => {
        expect(decodeFrame(new Uint8ClampedArray(bytes), width, height)).toBeNull();
      }),
    );
  });

  it('returns null for frames whose buffer does not match the size', () => {
    const matrix = qrMatrix({ code: 'PIGEON' });
    if (!matrix.ok) throw new Error('refused');
    const image = rasterise(matrix.value);
    expect(decodeFrame(image.data, image.width, image.height)).toBe('PIGEON');
    expect(decodeFrame(image.data, image.width + 1, image.height)).toBeNull();
    expect(decodeFrame(image.data.subarray(4), image.width, image.height)).toBeNull();
  });

  it('returns null, not an exception, for values of the wrong type (as arrive from other threads)', () => {
    const wrong: unknown[] = [null, undefined, [0, 0, 0, 255], new Uint8Array(4), 'rgba', { length: 4 }];
    for (const data of wrong) expect(decodeFrame(data as Uint8ClampedArray, 1, 1)).toBeNull();
    expect(decodeFrame(new Uint8ClampedArray(4), '1' as unknown as number, 1)).toBeNull();
  });
});

describe('faint codes', () => {
  const code = sampleCode(3);
  const matrix = qrMatrix({ code });
  if (!matrix.ok) throw new Error('refused');
  // 30 levels apart on light grey: below what jsQR's binariser accepts as an edge by itself.
  const faint = rasterise(matrix.value, { scale: 4, dark: [120, 120, 120], light: [150, 150, 150] });

  it('are read after stretching the contrast, where jsQR alone reads nothing', () => {
    expect(jsQR(faint.data, faint.width, faint.height, { inversionAttempts: 'attemptBoth' })).toBeNull();
    expect(decodeFrame(faint.data, faint.width, faint.height)).toBe(code);
  });

  it('luminanceRange ignores the extreme 1% at each end', () => {
    const image = solidImage(10, 10, [100, 100, 100]);
    image.data.set([0, 0, 0, 255], 0);
    image.data.set([255, 255, 255, 255], 4);
    expect(luminanceRange(image.data)).toEqual({ low: 100, high: 100 });
    expect(luminanceRange(faint.data)).toEqual({ low: 120, high: 150 });
  });

  it('stretchContrast maps the range onto 0–255 and keeps alpha', () => {
    const pixels = new Uint8ClampedArray([120, 135, 150, 7, 100, 200, 130, 255]);
    expect([...stretchContrast(pixels, { low: 120, high: 150 })]).toEqual([0, 128, 255, 7, 0, 255, 85, 255]);
  });
});
