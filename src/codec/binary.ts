// Byte-level reader and writer for the compact form. The reader never throws: running past the end
// sets `short`, which the caller turns into a 'cut-short' error.

export class ByteWriter {
  private readonly out: number[] = [];

  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.u8(b[i] ?? 0);
    return this;
  }
  get length(): number {
    return this.out.length;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export class ByteReader {
  private pos = 0;
  short = false;

  constructor(private readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }
  u8(): number {
    if (this.pos >= this.buf.length) {
      this.short = true;
      return 0;
    }
    return this.buf[this.pos++] ?? 0;
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  u32(): number {
    return ((this.u16() << 16) | this.u16()) >>> 0;
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) {
      this.short = true;
      this.pos = this.buf.length;
      return new Uint8Array(n);
    }
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

/** Packs characters of a 2^bits-letter alphabet densely (ICE chars: 6 bits, lowercase hex: 4 bits). */
export function packChars(text: string, alphabet: string, bits: number): Uint8Array | null {
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (const ch of text) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << bits) | v;
    n += bits;
    while (n >= 8) {
      n -= 8;
      out.push((acc >> n) & 0xff);
    }
    acc &= (1 << n) - 1;
  }
  if (n > 0) out.push((acc << (8 - n)) & 0xff);
  return Uint8Array.from(out);
}

export function unpackChars(bytes: Uint8Array, count: number, alphabet: string, bits: number): string {
  let acc = 0;
  let n = 0;
  let i = 0;
  let s = '';
  while (s.length < count) {
    if (n < bits) {
      acc = ((acc << 8) | (bytes[i++] ?? 0)) & 0xffff;
      n += 8;
    }
    n -= bits;
    s += alphabet[(acc >> n) & ((1 << bits) - 1)] ?? '';
  }
  return s;
}

export const packedLength = (chars: number, bits: number): number => Math.ceil((chars * bits) / 8);
