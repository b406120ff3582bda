// Pure pixel transforms that turn a clean rasterised symbol into the harder pictures a scanner meets:
// rotated, resampled, inverted, noisy. Deterministic (seeded), so generated goldens are reproducible.
import { type Rgb, type RgbaImage, solidImage } from '../../../../src/qr/raster';

const CHANNELS = 4;
const MAX_CHANNEL = 255;
const DEGREES_PER_HALF_TURN = 180;
const UINT32 = 0x1_0000_0000;

/** A small seeded PRNG (mulberry32): uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32;
  };
}

function channel(image: RgbaImage, x: number, y: number, c: number): number {
  return image.data[(y * image.width + x) * CHANNELS + c] ?? 0;
}

// Bilinear sample at a real-valued pixel position (pixel centres at integer + 0.5); null outside.
function sample(image: RgbaImage, x: number, y: number, out: number[]): boolean {
  const fx = x - 0.5;
  const fy = y - 0.5;
  if (fx < 0 || fy < 0 || fx > image.width - 1 || fy > image.height - 1) return false;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, image.width - 1);
  const y1 = Math.min(y0 + 1, image.height - 1);
  const tx = fx - x0;
  const ty = fy - y0;
  for (let c = 0; c < CHANNELS; c++) {
    const top = channel(image, x0, y0, c) * (1 - tx) + channel(image, x1, y0, c) * tx;
    const bottom = channel(image, x0, y1, c) * (1 - tx) + channel(image, x1, y1, c) * tx;
    out[c] = top * (1 - ty) + bottom * ty;
  }
  return true;
}

/** Rotates about the centre into a canvas just large enough for the result; corners get `fill`. */
export function rotate(image: RgbaImage, degrees: number, fill: Rgb): RgbaImage {
  const angle = (degrees * Math.PI) / DEGREES_PER_HALF_TURN;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const width = Math.ceil(Math.abs(image.width * cos) + Math.abs(image.height * sin) - 1e-9);
  const height = Math.ceil(Math.abs(image.width * sin) + Math.abs(image.height * cos) - 1e-9);
  const out = solidImage(width, height, fill);
  const pixel = [0, 0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse mapping: where in the source does this output pixel's centre come from?
      const dx = x + 0.5 - width / 2;
      const dy = y + 0.5 - height / 2;
      const sx = cos * dx + sin * dy + image.width / 2;
      const sy = -sin * dx + cos * dy + image.height / 2;
      if (!sample(image, sx, sy, pixel)) continue;
      out.data.set(pixel, (y * width + x) * CHANNELS);
    }
  }
  return out;
}

/** Resizes by a factor with bilinear sampling (a downscale below 1 blurs module edges, like a camera). */
export function resize(image: RgbaImage, factor: number): RgbaImage {
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const out = solidImage(width, height, [0, 0, 0]);
  const pixel = [0, 0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max((x + 0.5) / factor, 0.5), image.width - 0.5);
      const sy = Math.min(Math.max((y + 0.5) / factor, 0.5), image.height - 0.5);
      if (sample(image, sx, sy, pixel)) out.data.set(pixel, (y * width + x) * CHANNELS);
    }
  }
  return out;
}

/** Light ↔ dark, as a dark-mode screen shows a code. */
export function invert(image: RgbaImage): RgbaImage {
  const data = Uint8ClampedArray.from(image.data, (v, i) => (i % CHANNELS === 3 ? v : MAX_CHANNEL - v));
  return { data, width: image.width, height: image.height };
}

/** Adds uniform grey noise of ±amplitude to every pixel (sensor noise, JPEG grain). */
export function addNoise(image: RgbaImage, amplitude: number, random: () => number): RgbaImage {
  const data = Uint8ClampedArray.from(image.data);
  for (let i = 0; i < data.length; i += CHANNELS) {
    const delta = Math.round((random() * 2 - 1) * amplitude);
    for (let c = 0; c < 3; c++) data[i + c] = (data[i + c] ?? 0) + delta;
  }
  return { data, width: image.width, height: image.height };
}

/** A busy background: blocks of random grey levels (a desk, a poster, another screen). */
export function clutter(width: number, height: number, block: number, random: () => number): RgbaImage {
  const out = solidImage(width, height, [0, 0, 0]);
  const columns = Math.ceil(width / block);
  const levels = Array.from({ length: columns * Math.ceil(height / block) }, () =>
    Math.round(random() * MAX_CHANNEL),
  );
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const level = levels[Math.floor(y / block) * columns + Math.floor(x / block)] ?? 0;
      out.data.set([level, level, level], (y * width + x) * CHANNELS);
    }
  }
  return out;
}

/** A copy of `base` with `top` drawn at (left, upper). */
export function paste(base: RgbaImage, top: RgbaImage, left: number, upper: number): RgbaImage {
  if (left < 0 || upper < 0 || left + top.width > base.width || upper + top.height > base.height) {
    throw new RangeError('pasted image must lie inside the base image');
  }
  const data = Uint8ClampedArray.from(base.data);
  for (let y = 0; y < top.height; y++) {
    const row = top.data.subarray(y * top.width * CHANNELS, (y + 1) * top.width * CHANNELS);
    data.set(row, ((upper + y) * base.width + left) * CHANNELS);
  }
  return { data, width: base.width, height: base.height };
}
