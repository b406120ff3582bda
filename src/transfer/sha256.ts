// Incremental SHA-256 (FIPS 180-4). WebCrypto only digests a whole buffer at once, and a file being received
// arrives in chunks that must not all be kept, so both sides hash as the bytes pass by.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];
const BLOCK_BYTES = 64;

export class Sha256 {
  private readonly h = new Int32Array(INITIAL);
  private readonly w = new Int32Array(64);
  /** A partial block carried to the next update. */
  private readonly pending = new Uint8Array(BLOCK_BYTES);
  private pendingLength = 0;
  /** Total bytes hashed; a double is exact up to 2^53, far beyond any file. */
  private length = 0;
  private finished = false;

  update(data: Uint8Array): this {
    if (this.finished) throw new Error('Sha256: update after digest');
    this.length += data.length;
    let at = 0;
    if (this.pendingLength > 0) {
      const take = Math.min(BLOCK_BYTES - this.pendingLength, data.length);
      this.pending.set(data.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      at = take;
      if (this.pendingLength < BLOCK_BYTES) return this;
      this.blocks(this.pending, 0, BLOCK_BYTES);
      this.pendingLength = 0;
    }
    const whole = at + Math.floor((data.length - at) / BLOCK_BYTES) * BLOCK_BYTES;
    if (whole > at) this.blocks(data, at, whole);
    if (whole < data.length) {
      this.pending.set(data.subarray(whole), 0);
      this.pendingLength = data.length - whole;
    }
    return this;
  }

  /** The 32-byte digest. The hasher cannot be updated afterwards. */
  digest(): Uint8Array {
    if (this.finished) throw new Error('Sha256: digest twice');
    const bits = this.length * 8;
    const padLength = this.pendingLength < 56 ? 64 - this.pendingLength : 128 - this.pendingLength;
    const pad = new Uint8Array(padLength);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(padLength - 8, Math.floor(bits / 0x1_0000_0000));
    view.setUint32(padLength - 4, bits >>> 0);
    const total = this.length;
    this.update(pad);
    this.length = total;
    this.finished = true;
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setInt32(i * 4, this.h[i] ?? 0);
    return out;
  }

  /** Bytes hashed so far. */
  get bytes(): number {
    return this.length;
  }

  private blocks(data: Uint8Array, from: number, to: number): void {
    const w = this.w;
    const h = this.h;
    let h0 = h[0] ?? 0;
    let h1 = h[1] ?? 0;
    let h2 = h[2] ?? 0;
    let h3 = h[3] ?? 0;
    let h4 = h[4] ?? 0;
    let h5 = h[5] ?? 0;
    let h6 = h[6] ?? 0;
    let h7 = h[7] ?? 0;
    for (let p = from; p < to; p += BLOCK_BYTES) {
      for (let i = 0; i < 16; i++) {
        const j = p + i * 4;
        w[i] =
          ((data[j] ?? 0) << 24) |
          ((data[j + 1] ?? 0) << 16) |
          ((data[j + 2] ?? 0) << 8) |
          (data[j + 3] ?? 0);
      }
      for (let i = 16; i < 64; i++) {
        const x = w[i - 15] ?? 0;
        const y = w[i - 2] ?? 0;
        const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = ((w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1) | 0;
      }
      let a = h0;
      let b = h1;
      let c = h2;
      let d = h3;
      let e = h4;
      let f = h5;
      let g = h6;
      let hh = h7;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const ch = (e & f) ^ (~e & g);
        const t1 = (hh + S1 + ch + (K[i] ?? 0) + (w[i] ?? 0)) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const maj = (a & b) ^ (a & c) ^ (b & c);
        const t2 = (S0 + maj) | 0;
        hh = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0;
      h1 = (h1 + b) | 0;
      h2 = (h2 + c) | 0;
      h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0;
      h5 = (h5 + f) | 0;
      h6 = (h6 + g) | 0;
      h7 = (h7 + hh) | 0;
    }
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
    h[4] = h4;
    h[5] = h5;
    h[6] = h6;
    h[7] = h7;
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** One-shot convenience: the hex digest of `data`. */
export function sha256Hex(data: Uint8Array): string {
  return toHex(new Sha256().update(data).digest());
}
