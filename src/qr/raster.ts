// Module matrix → RGBA pixels, in plain TypeScript (no canvas), so node tests and the golden-image
// script see exactly the pixels a renderer would draw.
import { isDark, type QrMatrix, QUIET_ZONE } from './render';

export type Rgb = readonly [number, number, number];

/** The shape of ImageData, without needing a DOM. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
}

export interface RasterOptions {
  /** Pixels per module side. */
  readonly scale?: number | undefined;
  /** Quiet zone in modules. */
  readonly margin?: number | undefined;
  readonly dark?: Rgb | undefined;
  readonly light?: Rgb | undefined;
}

export const BLACK: Rgb = [0, 0, 0];
export const WHITE: Rgb = [255, 255, 255];
const DEFAULT_SCALE = 4;
const OPAQUE = 255;
const CHANNELS = 4;

/** A width × height image filled with one colour. */
export function solidImage(width: number, height: number, colour: Rgb): RgbaImage {
  const data = new Uint8ClampedArray(width * height * CHANNELS);
  for (let i = 0; i < data.length; i += CHANNELS) {
    data[i] = colour[0];
    data[i + 1] = colour[1];
    data[i + 2] = colour[2];
    data[i + 3] = OPAQUE;
  }
  return { data, width, height };
}

/** Draws the matrix with square modules of `scale` pixels, surrounded by `margin` light modules. */
export function rasterise(matrix: QrMatrix, opts: RasterOptions = {}): RgbaImage {
  const scale = Math.max(1, Math.floor(opts.scale ?? DEFAULT_SCALE));
  const margin = Math.max(0, Math.floor(opts.margin ?? QUIET_ZONE));
  const dark = opts.dark ?? BLACK;
  const side = (matrix.size + 2 * margin) * scale;
  const image = solidImage(side, side, opts.light ?? WHITE);
  for (let y = 0; y < side; y++) {
    const row = Math.floor(y / scale) - margin;
    for (let x = 0; x < side; x++) {
      if (!isDark(matrix, row, Math.floor(x / scale) - margin)) continue;
      const i = (y * side + x) * CHANNELS;
      image.data[i] = dark[0];
      image.data[i + 1] = dark[1];
      image.data[i + 2] = dark[2];
    }
  }
  return image;
}
