import { describe, expect, it } from 'vitest';
import { irreducibleBytes, qrVersion } from '../../../scripts/code-stats.ts';
import { toBootstrap } from '../../../src/codec/compact.ts';
import { encodeDescription } from '../../../src/codec/index.ts';
import { loadFixtures } from './fixtures.ts';

// The codec's size targets, as regression tests on the real captured SDPs.
const MAX_TEXT_CHARS = 110;
const MAX_QR_VERSION = 5;
const MIN_RATIO_TO_LZ = 4.5;
const MAX_BYTES_OVER_IRREDUCIBLE = 16;

const fixtures = loadFixtures();

describe('code size targets', () => {
  for (const name of ['chrome-chrome-mdns-offer.sdp', 'firefox-firefox-mdns-offer.sdp']) {
    it(`${name}: ≤ ${MAX_TEXT_CHARS} text chars and QR ≤ version ${MAX_QR_VERSION} at ECC M`, () => {
      const f = fixtures.find((x) => x.name.endsWith(name));
      const code = f && encodeDescription({ type: 'offer', sdp: f.sdp });
      if (!code?.ok) throw new Error('encode failed');
      expect(code.value.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
      expect(qrVersion([{ data: code.value.qr, mode: 'alphanumeric' }])).toBeLessThanOrEqual(MAX_QR_VERSION);
    });
  }

  for (const f of fixtures.filter((x) => x.dataOnly)) {
    it(`${f.name}: ≥ ${MIN_RATIO_TO_LZ}× shorter than lz-string, ≤ ${MAX_BYTES_OVER_IRREDUCIBLE} bytes over irreducible`, async () => {
      const { default: LZString } = await import('lz-string');
      const code = encodeDescription({ type: f.type, sdp: f.sdp }, { offerSdp: f.offer ?? f.sdp });
      const b = toBootstrap(f.type, f.sdp);
      if (!code.ok || !b.ok) throw new Error('encode failed');
      expect(
        LZString.compressToEncodedURIComponent(f.sdp).length / code.value.text.length,
      ).toBeGreaterThanOrEqual(MIN_RATIO_TO_LZ);
      expect(code.value.bytes.length - irreducibleBytes(b.value)).toBeLessThanOrEqual(
        MAX_BYTES_OVER_IRREDUCIBLE,
      );
    });
  }

  it('the fallback beats lz-string on audio+video SDPs', async () => {
    const { default: LZString } = await import('lz-string');
    for (const f of fixtures.filter((x) => !x.dataOnly)) {
      const code = encodeDescription({ type: f.type, sdp: f.sdp }, { offerSdp: f.offer ?? f.sdp });
      if (!code.ok) throw new Error('encode failed');
      expect(code.value.text.length).toBeLessThan(LZString.compressToEncodedURIComponent(f.sdp).length);
    }
  });
});
