import { describe, expect, it } from 'vitest';
import { significant } from '../../../scripts/sdp-fields.ts';
import { decodeInput, encodeDescription } from '../../../src/codec/index.ts';
import { loadFixtures } from './fixtures.ts';

const fixtures = loadFixtures();

describe('round trip over every real fixture', () => {
  it('has fixtures to test', () => {
    expect(fixtures.filter((f) => f.dataOnly).length).toBeGreaterThanOrEqual(12);
    expect(fixtures.filter((f) => !f.dataOnly).length).toBeGreaterThanOrEqual(4);
  });

  for (const f of fixtures) {
    describe(f.name, () => {
      const code = encodeDescription({ type: f.type, sdp: f.sdp }, f.offer ? { offerSdp: f.offer } : {});
      it('encodes', () => expect(code.ok).toBe(true));
      if (!code.ok) return;
      const opts = { expect: f.type, ...(f.offer ? { offerSdp: f.offer } : {}) } as const;

      it('uses the compact form for data-channel bootstraps and the fallback otherwise', () => {
        expect(code.value.form === 'compact').toBe(f.dataOnly);
      });

      for (const rendering of ['text', 'qr'] as const) {
        it(`decode(encode(x)) keeps every field that matters (${rendering})`, () => {
          const back = decodeInput(code.value[rendering], opts);
          expect(back.ok && back.value.type).toBe(f.type);
          if (!back.ok) return;
          expect(back.value.format).toBe('pigeon');
          expect(significant(back.value.sdp)).toEqual(significant(f.sdp));
          if (!f.dataOnly) expect(back.value.sdp).toBe(f.sdp.replace(/\r?\n/g, '\r\n'));
        });
      }

      it('re-encoding the decoded SDP gives the same code (the compact form is canonical)', () => {
        const back = decodeInput(code.value.text, opts);
        if (!back.ok) throw new Error(back.error.kind);
        const again = encodeDescription(back.value, f.offer ? { offerSdp: f.offer } : {});
        expect(again.ok && again.value.text).toBe(code.value.text);
      });
    });
  }
});

describe('the lossless fallback', () => {
  it('is used, and is exact, when asked for on data-channel SDPs too', () => {
    for (const f of fixtures.filter((x) => x.type === 'offer')) {
      const code = encodeDescription({ type: f.type, sdp: f.sdp }, { forceFallback: true });
      if (!code.ok) throw new Error(code.error.kind);
      expect(code.value.form).not.toBe('compact');
      const back = decodeInput(code.value.text);
      expect(back.ok && back.value.sdp).toBe(f.sdp);
    }
  });

  it('takes over when the compact form would drop something that matters', () => {
    const f = fixtures.find((x) => x.name.endsWith('chrome-chrome-mdns-offer.sdp'));
    if (!f) throw new Error('fixture missing');
    const variants = [
      f.sdp.replace('a=sctp-port:5000\r\n', 'a=sctp-port:5000\r\na=x-custom:1\r\n'),
      f.sdp.replace(' network-cost 999', ' network-cost 999 x-ext 1'),
      f.sdp.replace('a=setup:actpass', 'a=setup:holdconn'),
      f.sdp.replace(/ 1 udp /, ' 2 udp '),
    ];
    for (const sdp of variants) {
      const code = encodeDescription({ type: 'offer', sdp });
      expect(code.ok && code.value.form).not.toBe('compact');
      const back = code.ok ? decodeInput(code.value.text) : null;
      expect(back?.ok && back.value.sdp).toBe(sdp);
    }
  });
});
