// Lossless fallback for SDPs the compact form cannot carry exactly (media sections, other stacks):
// deflate-raw with a preset SDP dictionary, or lz-string (the card's choice), whichever is smaller.

import { deflateSync, Inflate } from 'fflate';
import LZString from 'lz-string';
import { SDP_DICTIONARY } from './dictionary.ts';
import { MAX_LZ_BYTES, MAX_SDP_CHARS } from './limits.ts';
import { err, ok, type Result } from './types.ts';

const DICTIONARY = new TextEncoder().encode(SDP_DICTIONARY);
const DEFLATE_LEVEL = 9;
const DEFLATE_MEM = 12; // fflate's largest memory level: best ratio, still instant for a few kB
/** Compressed bytes fed to the inflater at a time: deflate expands at most ~1032×, so ≤ 0.5 MB per step. */
const INFLATE_STEP_BYTES = 512;
/** UTF-8 takes at least one byte a character, so a text of MAX_SDP_CHARS chars has at least as many bytes. */
const MAX_SDP_BYTES = MAX_SDP_CHARS;

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

export type DecompressError = 'damaged' | 'too-large';

/** The SDP a fallback body holds, refusing damage and anything that expands beyond MAX_SDP_CHARS. */
export function decompress(form: FallbackForm, body: Uint8Array): Result<string, DecompressError> {
  if (form === 'deflate') {
    const bytes = inflateBounded(body);
    if (!bytes.ok) return bytes;
    try {
      return checkText(new TextDecoder('utf-8', { fatal: true }).decode(bytes.value));
    } catch {
      return err('damaged');
    }
  }
  if (body.length > MAX_LZ_BYTES) return err('too-large');
  try {
    return checkText(LZString.decompressFromUint8Array(body));
  } catch {
    return err('damaged');
  }
}

function checkText(text: string | null): Result<string, DecompressError> {
  // A body behind a valid checksum that is not an SDP (forged, or random bytes) is no code either.
  if (!text?.startsWith('v=0')) return err('damaged');
  const sdp = fromStored(text);
  return sdp.length > MAX_SDP_CHARS ? err('too-large') : ok(sdp);
}

/** Inflates step by step and stops as soon as the output passes MAX_SDP_BYTES, so memory stays bounded. */
function inflateBounded(body: Uint8Array): Result<Uint8Array, DecompressError> {
  if (body.length === 0) return err('damaged');
  const parts: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  const inflater = new Inflate({ dictionary: DICTIONARY }, (chunk, final) => {
    size += chunk.length;
    if (size <= MAX_SDP_BYTES) parts.push(chunk);
    ended ||= final;
  });
  try {
    for (let at = 0; at < body.length && size <= MAX_SDP_BYTES; at += INFLATE_STEP_BYTES) {
      const end = Math.min(at + INFLATE_STEP_BYTES, body.length);
      inflater.push(body.subarray(at, end), end === body.length);
    }
  } catch {
    return err('damaged');
  }
  if (size > MAX_SDP_BYTES) return err('too-large');
  if (!ended) return err('damaged');
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return ok(out);
}
