// Text renderings of a frame's bytes:
// - base64url for chats and email (6 bits a character: each character is a contiguous 6-bit run,
//   so the CRC-16 catches any single changed character);
// - base43 for QR codes: only characters of the QR alphanumeric mode that are also safe in a URL
//   fragment (no space, no %), two bytes to three characters (43³ > 2¹⁶), which makes a smaller symbol
//   than base64 in byte mode.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const QR_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:';
const B43 = QR_ALPHABET.length;

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  let acc = 0;
  let n = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    n += 8;
    while (n >= 6) {
      n -= 6;
      s += B64[(acc >> n) & 63];
    }
  }
  if (n > 0) s += B64[(acc << (6 - n)) & 63];
  return s;
}

/**
 * Null on a foreign character or an impossible length. Non-zero padding bits (a changed last character,
 * or a code cut mid-character) are refused unless `lenient`, which the caller uses to tell which.
 */
export function fromBase64Url(text: string, lenient = false): Uint8Array | null {
  // A lone last character holds no whole byte: only a code cut (or grown) by one character ends like that.
  if (text.length % 4 === 1) {
    if (!lenient) return null;
    text = text.slice(0, -1);
  }
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let n = 0;
  let i = 0;
  for (const ch of text) {
    const v = B64.indexOf(ch);
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffff;
    n += 6;
    if (n >= 8) {
      n -= 8;
      out[i++] = (acc >> n) & 0xff;
    }
  }
  return lenient || (acc & ((1 << n) - 1)) === 0 ? out : null;
}

export function toBase43(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let v = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
      for (let k = 0; k < 3; k++, v = Math.floor(v / B43)) s += QR_ALPHABET[v % B43];
    } else {
      const v = bytes[i] ?? 0;
      s += (QR_ALPHABET[v % B43] ?? '') + (QR_ALPHABET[Math.floor(v / B43)] ?? '');
    }
  }
  return s;
}

export function fromBase43(text: string): Uint8Array | null {
  if (text.length % 3 === 1) return null;
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = text.slice(i, i + 3);
    let v = 0;
    for (let k = chunk.length - 1; k >= 0; k--) {
      const d = QR_ALPHABET.indexOf(chunk[k] ?? '');
      if (d < 0) return null;
      v = v * B43 + d;
    }
    if (chunk.length === 3) {
      if (v > 0xffff) return null;
      out.push(v >> 8, v & 0xff);
    } else {
      if (v > 0xff) return null;
      out.push(v);
    }
  }
  return Uint8Array.from(out);
}

const QUOTES = /["'`\u2018\u2019\u201c\u201d\u00ab\u00bb<>]/g;
const INVISIBLE = /[\s\u200b-\u200d\u2060\ufeff]/g;

/**
 * What a person may paste around a code: line breaks, spaces, quote marks, "> " quoting, a link.
 * Returns the plausible code strings to try, most likely first.
 */
export function codeCandidates(input: string): string[] {
  const unquoted = input
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:>\s?)+/, ''))
    .join('\n');
  const hash = unquoted.lastIndexOf('#');
  const tail = hash >= 0 ? unquoted.slice(hash + 1) : unquoted;
  const compact = tail.replace(QUOTES, '').replace(INVISIBLE, '');
  const out = [compact];
  // Sentence punctuation a person or a chat app may add after a code (but '.' ':' are base43 letters too).
  const trimmed = withoutTrailing(compact, TRAILING_PUNCTUATION);
  if (trimmed !== compact) out.push(trimmed);
  return out;
}

const TRAILING_PUNCTUATION = new Set('.,;:!?)]');

/** `s` without its trailing run of `chars`, in one pass (a `[…]+$` regex retries from every start: n²). */
function withoutTrailing(s: string, chars: ReadonlySet<string>): string {
  let end = s.length;
  while (end > 0 && chars.has(s.charAt(end - 1))) end--;
  return s.slice(0, end);
}

export function looksBase64Url(s: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(s);
}

export function looksBase43(s: string): boolean {
  return /^[0-9A-Z$*+\-./:]+$/.test(s);
}
