import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { GOLDEN_DIR } from '../../../scripts/qr-goldens';
import { type ImageDeps, MAX_IMAGE_SIDE, scanImage, scanImageWith } from '../../../src/qr/image';
import type { Size } from '../../../src/qr/pixels';
import type { RgbaImage } from '../../../src/qr/raster';
import { sampleCode } from './support/codes';
import { fakeDetector, imageData } from './support/fakes';
import { decodePng } from './support/png';

const CODE = sampleCode(1);

interface FakeBitmap extends RgbaImage {
  closed: number;
  close(): void;
}

function bitmap(image: RgbaImage): FakeBitmap {
  return {
    ...image,
    closed: 0,
    close() {
      this.closed++;
    },
  };
}

// Nearest-neighbour scaling: what a canvas drawImage does, near enough for these tests.
function drawAt(image: RgbaImage, size: Size): ImageData {
  const out = new Uint8ClampedArray(size.width * size.height * 4);
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const from =
        (Math.floor((y * image.height) / size.height) * image.width +
          Math.floor((x * image.width) / size.width)) *
        4;
      out.set(image.data.subarray(from, from + 4), (y * size.width + x) * 4);
    }
  }
  return imageData(size.width, size.height, out);
}

function golden(name: string): Blob {
  return new Blob([readFileSync(join(GOLDEN_DIR, name))], { type: 'image/png' });
}

/** Node stand-ins for createImageBitmap and a canvas: PNG bytes in, pixels out. */
function nodeDeps(overrides: Partial<ImageDeps<FakeBitmap>> = {}) {
  const opened: FakeBitmap[] = [];
  const decodeImage = vi.fn(async (file: Blob) => {
    const decoded = bitmap(decodePng(Buffer.from(await file.arrayBuffer())));
    opened.push(decoded);
    return decoded;
  });
  const toPixels = vi.fn((image: FakeBitmap, size: Size) => drawAt(image, size));
  const decodePixels = vi.fn(async (pixels: ImageData) => {
    const { decodeFrame } = await import('../../../src/qr/decode-frame');
    return decodeFrame(pixels.data, pixels.width, pixels.height);
  });
  const deps: ImageDeps<FakeBitmap> = {
    decodeImage,
    toPixels,
    Detector: undefined,
    decodePixels,
    ...overrides,
  };
  return { deps, opened, decodeImage, toPixels, decodePixels };
}

describe('scanImageWith', () => {
  it.each([
    ['plain.png', CODE],
    ['inverted.png', CODE],
    ['rotated-30.png', `https://pigeon.example.org/app/pair/v1/#${sampleCode(2)}`],
  ])('reads %s and closes the bitmap', async (file, expected) => {
    const n = nodeDeps();
    await expect(scanImageWith(golden(file), n.deps)).resolves.toEqual({ ok: true, value: expected });
    expect(n.opened[0]?.closed).toBe(1);
  });

  it('reports a picture without a code', async () => {
    const n = nodeDeps();
    await expect(scanImageWith(golden('negative-clutter.png'), n.deps)).resolves.toEqual({
      ok: false,
      error: { kind: 'no-code' },
    });
    expect(n.opened[0]?.closed).toBe(1);
  });

  it('downscales a huge picture to MAX_IMAGE_SIDE, keeping its shape, before decoding', async () => {
    const huge = bitmap({ data: new Uint8ClampedArray(4), width: 8000, height: 6000 });
    const toPixels = vi.fn((_image: FakeBitmap, size: Size) => imageData(size.width, size.height));
    const n = nodeDeps({ decodeImage: async () => huge, toPixels });
    await expect(scanImageWith(new Blob([]), n.deps)).resolves.toEqual({
      ok: false,
      error: { kind: 'no-code' },
    });
    expect(toPixels).toHaveBeenCalledWith(huge, { width: MAX_IMAGE_SIDE, height: 1200 });
    expect(huge.closed).toBe(1);
  });

  it('draws a small picture at its own size', async () => {
    const n = nodeDeps();
    await scanImageWith(golden('small.png'), n.deps);
    expect(n.toPixels.mock.calls[0]?.[1]).toEqual({ width: 90, height: 90 });
  });

  it('reports a file that is not an image, an empty image, and a canvas that draws nothing', async () => {
    const notImage = nodeDeps();
    await expect(scanImageWith(new Blob(['hello']), notImage.deps)).resolves.toEqual({
      ok: false,
      error: { kind: 'unreadable-image' },
    });
    const empty = bitmap({ data: new Uint8ClampedArray(0), width: 0, height: 0 });
    const emptyDeps = nodeDeps({ decodeImage: async () => empty });
    await expect(scanImageWith(new Blob([]), emptyDeps.deps)).resolves.toEqual({
      ok: false,
      error: { kind: 'unreadable-image' },
    });
    expect(empty.closed).toBe(1);
    const blank = nodeDeps({ toPixels: () => null });
    await expect(scanImageWith(golden('plain.png'), blank.deps)).resolves.toEqual({
      ok: false,
      error: { kind: 'unreadable-image' },
    });
  });

  it('prefers the platform detector; jsQR is not loaded when it reads the code', async () => {
    const detect = vi.fn(async () => [{ rawValue: 'NATIVE' }]);
    const n = nodeDeps({ Detector: fakeDetector(detect) });
    await expect(scanImageWith(golden('plain.png'), n.deps)).resolves.toEqual({ ok: true, value: 'NATIVE' });
    expect(detect).toHaveBeenCalledTimes(1);
    expect(n.decodePixels).not.toHaveBeenCalled();
  });

  it('falls back to jsQR when the detector finds nothing or fails', async () => {
    for (const detect of [async () => [], async () => Promise.reject(new Error('detector broke'))]) {
      const n = nodeDeps({ Detector: fakeDetector(detect) });
      await expect(scanImageWith(golden('inverted.png'), n.deps)).resolves.toEqual({ ok: true, value: CODE });
      expect(n.decodePixels).toHaveBeenCalledTimes(1);
    }
  });

  it('reports a decoder that cannot load (an offline chunk) as other, and still closes the bitmap', async () => {
    const n = nodeDeps({ decodePixels: () => Promise.reject(new Error('chunk missing')) });
    await expect(scanImageWith(golden('plain.png'), n.deps)).resolves.toEqual({
      ok: false,
      error: { kind: 'other', message: 'chunk missing' },
    });
    expect(n.opened[0]?.closed).toBe(1);
  });
});

describe('scanImage', () => {
  it('uses the default jsQR decoder, loaded on demand', async () => {
    const n = nodeDeps();
    const result = await scanImage(golden('plain.png'), {
      // Typed for ImageBitmap in browsers; node has none, so the fakes stand in.
      decodeImage: n.decodeImage as unknown as ImageDeps<ImageBitmap>['decodeImage'],
      toPixels: (image, size) => drawAt(image as unknown as RgbaImage, size),
      Detector: undefined,
    });
    expect(result).toEqual({ ok: true, value: CODE });
  });

  it('reports unreadable-image where the platform cannot decode pictures (node has no createImageBitmap)', async () => {
    await expect(scanImage(golden('plain.png'))).resolves.toEqual({
      ok: false,
      error: { kind: 'unreadable-image' },
    });
  });
});
