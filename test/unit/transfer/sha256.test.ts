// The incremental SHA-256 against the FIPS 180-4 / NIST vectors and against node:crypto on random data split
// at random points (the split must never change the digest).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex, toHex } from '../../../src/transfer/sha256.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('Sha256', () => {
  it('matches the published vectors', () => {
    expect(sha256Hex(text(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(
      sha256Hex(
        text(
          'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
        ),
      ),
    ).toBe('cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1');
  });

  it('one million "a", fed in uneven pieces', () => {
    const h = new Sha256();
    const piece = text('a'.repeat(997));
    let left = 1_000_000;
    while (left > 0) {
      const n = Math.min(left, piece.length);
      h.update(piece.subarray(0, n));
      left -= n;
    }
    expect(toHex(h.digest())).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('every length around the block and padding boundaries matches node:crypto', () => {
    for (let n = 0; n <= 200; n++) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(sha256Hex(data), `length ${n}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('random data split at random points matches node:crypto', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat({ max: 2000 }), { maxLength: 8 }),
        (data, cuts) => {
          const points = [...new Set(cuts.map((c) => Math.min(c, data.length)))].sort((x, y) => x - y);
          const h = new Sha256();
          let from = 0;
          for (const p of [...points, data.length]) {
            h.update(data.subarray(from, p));
            from = p;
          }
          expect(toHex(h.digest())).toBe(createHash('sha256').update(data).digest('hex'));
          expect(h.bytes).toBe(data.length);
        },
      ),
    );
  });

  it('refuses to be used after the digest', () => {
    const h = new Sha256().update(text('x'));
    h.digest();
    expect(() => h.update(text('y'))).toThrow();
    expect(() => h.digest()).toThrow();
  });
});
