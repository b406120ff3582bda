import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canvasSampler, fitWithin } from '../../../src/qr/pixels';

describe('fitWithin', () => {
  it('shrinks the longer side to the bound, keeping the shape', () => {
    expect(fitWithin(1920, 1080, 640)).toEqual({ width: 640, height: 360 });
    expect(fitWithin(1080, 1920, 640)).toEqual({ width: 360, height: 640 });
    expect(fitWithin(4032, 3024, 1600)).toEqual({ width: 1600, height: 1200 });
  });

  it('never upscales', () => {
    expect(fitWithin(320, 240, 640)).toEqual({ width: 320, height: 240 });
  });

  it('gives an empty size for empty or nonsensical input', () => {
    for (const [w, h, max] of [
      [0, 480, 640],
      [640, 0, 640],
      [640, 480, 0],
      [Number.NaN, 480, 640],
      [-5, 480, 640],
    ] as const) {
      expect(fitWithin(w, h, max)).toEqual({ width: 0, height: 0 });
    }
  });

  it('stays within the bound with at least one pixel a side (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 4096 }),
        (width, height, max) => {
          const size = fitWithin(width, height, max);
          expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(Math.max(max, 1));
          expect(size.width).toBeGreaterThanOrEqual(1);
          expect(size.height).toBeGreaterThanOrEqual(1);
          expect(size.width).toBeLessThanOrEqual(width);
          expect(size.height).toBeLessThanOrEqual(height);
        },
      ),
    );
  });
});

describe('canvasSampler', () => {
  it('returns null, without throwing, where there is no canvas (node)', () => {
    expect(canvasSampler()({} as CanvasImageSource, { width: 10, height: 10 })).toBeNull();
    expect(canvasSampler()({} as CanvasImageSource, { width: 0, height: 10 })).toBeNull();
  });
});
