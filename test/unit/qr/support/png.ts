// A minimal PNG codec for 8-bit images, enough to write the golden images and read them back.
// Opaque grey images are stored as greyscale (a third of the bytes: noise does not compress).
import { deflateSync, inflateSync } from 'node:zlib';
import type { RgbaImage } from '../../../../src/qr/raster';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BIT_DEPTH = 8;
const COLOUR_TYPE_GREY = 0;
const COLOUR_TYPE_RGBA = 6;
const CHANNELS = 4;
const OPAQUE = 255;
const HEADER_LENGTH = 13;
const CRC_POLYNOMIAL = 0xedb88320;

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? CRC_POLYNOMIAL ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

function isOpaqueGrey(image: RgbaImage): boolean {
  const { data } = image;
  for (let i = 0; i < data.length; i += CHANNELS) {
    if (data[i] !== data[i + 1] || data[i] !== data[i + 2] || data[i + 3] !== OPAQUE) return false;
  }
  return true;
}

/** Encodes with filter 0 on every row; deflate does the rest. */
export function encodePng(image: RgbaImage): Buffer {
  const grey = isOpaqueGrey(image);
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header.set([BIT_DEPTH, grey ? COLOUR_TYPE_GREY : COLOUR_TYPE_RGBA, 0, 0, 0], 8);
  const bytesPerPixel = grey ? 1 : CHANNELS;
  const stride = image.width * bytesPerPixel;
  const raw = Buffer.alloc((stride + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const from = (y * image.width + x) * CHANNELS;
      const pixel = image.data.subarray(from, from + bytesPerPixel);
      raw.set(pixel, y * (stride + 1) + 1 + x * bytesPerPixel);
    }
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// Undoes the five PNG row filters (each byte predicted from left, up and up-left).
function unfilter(raw: Buffer, stride: number, height: number, bytesPerPixel: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= bytesPerPixel ? (out[y * stride + x - bytesPerPixel] ?? 0) : 0;
      const up = y > 0 ? (out[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= bytesPerPixel && y > 0 ? (out[(y - 1) * stride + x - bytesPerPixel] ?? 0) : 0;
      const predicted = [0, left, up, (left + up) >>> 1, paeth(left, up, upLeft)][filter ?? 0];
      if (predicted === undefined) throw new Error(`unknown PNG filter ${filter}`);
      out[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  return out;
}

function toRgba(samples: Uint8Array, width: number, height: number, grey: boolean): RgbaImage {
  if (!grey) return { data: new Uint8ClampedArray(samples), width, height };
  const data = new Uint8ClampedArray(width * height * CHANNELS);
  for (const [i, level] of samples.entries()) data.set([level, level, level, OPAQUE], i * CHANNELS);
  return { data, width, height };
}

/** Decodes an 8-bit greyscale or RGBA, non-interlaced PNG (what encodePng writes); throws on anything else. */
export function decodePng(file: Buffer): RgbaImage {
  if (!file.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = SIGNATURE.length;
  let width = 0;
  let height = 0;
  let grey = false;
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (crc32(file.subarray(offset + 4, offset + 8 + length)) !== file.readUInt32BE(offset + 8 + length)) {
      throw new Error(`bad CRC in ${type}`);
    }
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      grey = body[9] === COLOUR_TYPE_GREY;
      if (body[8] !== BIT_DEPTH || !(grey || body[9] === COLOUR_TYPE_RGBA) || body[12] !== 0) {
        throw new Error('only 8-bit greyscale or RGBA non-interlaced PNGs are supported');
      }
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += length + 12;
  }
  const bytesPerPixel = grey ? 1 : CHANNELS;
  const samples = unfilter(inflateSync(Buffer.concat(idat)), width * bytesPerPixel, height, bytesPerPixel);
  return toRgba(samples, width, height, grey);
}
