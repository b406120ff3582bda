// CRC-16/CCITT-FALSE. Chosen over a hash because a CRC of degree 16 catches every burst of up to 16 bits
// deterministically, so any single-character change in a base64 text code (a 6-bit burst) is always caught.

const POLY = 0x1021;
const INIT = 0xffff;

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ POLY) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16(...parts: Uint8Array[]): number {
  let crc = INIT;
  for (const part of parts) {
    for (const byte of part) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  }
  return crc;
}

/** FNV-1a, 32 bits: a small synchronous hash for the session binding (a tag, not a security boundary). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
