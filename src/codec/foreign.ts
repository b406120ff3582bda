// Other tools' signal formats accepted on input: raw SDP, a JSON session description {type, sdp},
// base64 of that JSON (the pion examples' copy-paste format), and lz-string-compressed SDP or JSON.

import LZString from 'lz-string';
import { MAX_INPUT_CHARS, MAX_LZ_TEXT_CHARS, MAX_SDP_CHARS } from './limits.ts';
import type { Description, InputFormat, SignalType } from './types.ts';

export interface ForeignDecoded extends Description {
  readonly format: Exclude<InputFormat, 'pigeon'>;
}

/** Non-trickle SDP names its role: an offer says actpass, an answer active or passive. */
function inferType(sdp: string, fallback: SignalType): SignalType {
  const m = /a=setup:(\w+)/.exec(sdp);
  if (m?.[1] === 'actpass') return 'offer';
  if (m?.[1] === 'active' || m?.[1] === 'passive') return 'answer';
  return fallback;
}

function fromSdp(text: string, guess: SignalType): Description | null {
  const sdp = text.replace(/\r?\n/g, '\r\n');
  if (!/^v=0\r\n/.test(sdp)) return null;
  return { type: inferType(sdp, guess), sdp: sdp.endsWith('\r\n') ? sdp : `${sdp}\r\n` };
}

function fromJson(text: string): Description | null {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return null;
    const { type, sdp } = v as Record<string, unknown>;
    if ((type !== 'offer' && type !== 'answer') || typeof sdp !== 'string') return null;
    const d = fromSdp(sdp, type);
    return d ? { type, sdp: d.sdp } : null;
  } catch {
    return null;
  }
}

function fromBase64(text: string): string | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || text.length % 4 === 1) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Both lz-string text forms (base64, URI component) use these characters only. */
const looksLz = (text: string): boolean => /^[A-Za-z0-9+/=$-]+$/.test(text);

function fromLz(text: string): string | 'too-large' | null {
  // lz-string's output cannot be bounded while it runs: its input is (limits.ts).
  if (text.length > MAX_LZ_TEXT_CHARS) return looksLz(text) ? 'too-large' : null;
  for (const f of [LZString.decompressFromEncodedURIComponent, LZString.decompressFromBase64]) {
    try {
      const out = f(text);
      if (!out || !(out.startsWith('v=0') || out.trimStart().startsWith('{'))) continue;
      return out.length > MAX_INPUT_CHARS ? 'too-large' : out;
    } catch {
      // lz-string throws on some malformed input: try the next variant
    }
  }
  return null;
}

/** null when the input is none of these formats; 'too-large' when it is one but its SDP is over the bound. */
export function decodeForeign(input: string, guess: SignalType): ForeignDecoded | 'too-large' | null {
  const found = recognise(input, guess);
  return typeof found === 'object' && found !== null && found.sdp.length > MAX_SDP_CHARS
    ? 'too-large'
    : found;
}

function recognise(input: string, guess: SignalType): ForeignDecoded | 'too-large' | null {
  const text = input.trim();
  const sdp = fromSdp(text, guess);
  if (sdp) return { ...sdp, format: 'sdp' };
  const json = fromJson(text);
  if (json) return { ...json, format: 'json' };
  const squeezed = text.replace(/\s+/g, '');
  const b64 = fromBase64(squeezed);
  const b64json = b64 === null ? null : fromJson(b64);
  if (b64json) return { ...b64json, format: 'base64-json' };
  const lz = fromLz(squeezed);
  if (lz === 'too-large') return lz;
  const lzDesc = lz === null ? null : (fromJson(lz) ?? fromSdp(lz, guess));
  if (lzDesc) return { ...lzDesc, format: 'lz-string' };
  return null;
}
