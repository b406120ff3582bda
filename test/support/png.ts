// The pixel size a PNG file declares: the signature, then the IHDR chunk (always first) holds width and height.

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
/** Signature (8) + IHDR length (4) + type (4) + width (4) + height (4). */
export const PNG_HEADER_BYTES = 24;

export interface PngSize {
  readonly width: number;
  readonly height: number;
}

/** Width and height from a PNG's IHDR; throws when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): PngSize {
  if (bytes.length < PNG_HEADER_BYTES) throw new Error(`not a PNG: only ${bytes.length} bytes`);
  if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('not a PNG: wrong signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (type !== 'IHDR') throw new Error(`not a PNG: first chunk is ${type}, not IHDR`);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** '192x192' → {width: 192, height: 192}; a manifest `sizes` may list several, space-separated. */
export function parseSizes(sizes: string): PngSize[] {
  return sizes
    .trim()
    .split(/\s+/)
    .map((s) => {
      const m = /^(\d+)x(\d+)$/i.exec(s);
      if (!m) throw new Error(`not a size: '${s}'`);
      return { width: Number(m[1]), height: Number(m[2]) };
    });
}
