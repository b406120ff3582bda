// Lossless fallback for SDPs the compact form cannot carry exactly (media sections, other stacks):
// deflate-raw with a preset SDP dictionary, or lz-string (the card's choice), whichever is smaller.

import { deflateSync, inflateSync } from 'fflate';
import LZString from 'lz-string';
import { SDP_DICTIONARY } from './dictionary.ts';

const DICTIONARY = new TextEncoder().encode(SDP_DICTIONARY);
const DEFLATE_LEVEL = 9;
const DEFLATE_MEM = 12; // fflate's largest memory level: best ratio, still instant for a few kB

export type FallbackForm = 'deflate' | 'lz';

/** SDP lines end in CRLF by rule; LF alone is stored and CRLF restored on decode. */
const toStored = (sdp: string): string => sdp.replace(/\r\n/g, '\n');
const fromStored = (text: string): string => text.replace(/\r?\n/g, '\r\n');

export function compressDeflate(sdp: string): Uint8Array {
  return deflateSync(new TextEncoder().encode(toStored(sdp)), {
    level: DEFLATE_LEVEL,
    mem: DEFLATE_MEM,
    dictionary: DICTIONARY,
  });
}

export function compressLz(sdp: string): Uint8Array {
  return LZString.compressToUint8Array(toStored(sdp));
}

export function compressBest(sdp: string): { form: FallbackForm; body: Uint8Array } {
  const deflate = compressDeflate(sdp);
  const lz = compressLz(sdp);
  return lz.length < deflate.length ? { form: 'lz', body: lz } : { form: 'deflate', body: deflate };
}

/** null when the body does not decompress (damage the CRC missed cannot reach here in practice). */
export function decompress(form: FallbackForm, body: Uint8Array): string | null {
  try {
    const text =
      form === 'deflate'
        ? new TextDecoder('utf-8', { fatal: true }).decode(inflateSync(body, { dictionary: DICTIONARY }))
        : LZString.decompressFromUint8Array(body);
    return text ? fromStored(text) : null;
  } catch {
    return null;
  }
}
