// Both hashers (hash-wasm, and the @noble/hashes fallback) against node:crypto on data split at random points:
// the split must never change the digest.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFallbackHasher, createHasher, type Hasher } from '../../../src/transfer/hash.ts';

const nodeHex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe.each([
  ['hash-wasm', createHasher],
  ['@noble/hashes fallback', async () => createFallbackHasher()],
] as const)('%s', (_name, make: () => Promise<Hasher>) => {
  it('matches a published vector and the empty digest', async () => {
    const abc = await make();
    abc.update(new TextEncoder().encode('abc'));
    expect(abc.digestHex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect((await make()).digestHex()).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('any split of random data gives node:crypto’s digest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5000 }),
        fc.array(fc.nat(5000), { maxLength: 8 }),
        async (data, cuts) => {
          const h = await make();
          let at = 0;
          for (const cut of [...cuts].sort((x, y) => x - y)) {
            const to = Math.min(cut, data.length);
            if (to > at) h.update(data.subarray(at, to));
            at = Math.max(at, to);
          }
          h.update(data.subarray(at));
          expect(h.digestHex()).toBe(nodeHex(data));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('hashers made side by side do not share state', async () => {
    const [x, y] = [await make(), await make()];
    x.update(new Uint8Array([1, 2, 3]));
    y.update(new Uint8Array([9]));
    expect(x.digestHex()).toBe(nodeHex(new Uint8Array([1, 2, 3])));
    expect(y.digestHex()).toBe(nodeHex(new Uint8Array([9])));
  });
});
