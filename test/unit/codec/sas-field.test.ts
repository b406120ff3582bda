import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { crc16 } from '../../../src/codec/checksum.ts';
import { decodeInput, encodeDescription } from '../../../src/codec/index.ts';
import { toBase64Url } from '../../../src/codec/text.ts';
import { loadFixtures } from './fixtures.ts';

// The safety-words field (docs/safety-words.md): an offer's commitment, an answer's secret, compact form only.
const fx = loadFixtures();
const get = (suffix: string) => {
  const f = fx.find((x) => x.name.endsWith(suffix));
  if (!f) throw new Error(`no fixture ${suffix}`);
  return f;
};
const offer = get('chrome-firefox-mdns-offer.sdp');
const answer = get('chrome-firefox-mdns-answer.sdp');
const media = fx.find((f) => !f.dataOnly && f.type === 'offer');
const commit = Uint8Array.from([1, 2, 3, 4]);
const secret = Uint8Array.from([9, 10, 11, 12, 13, 14, 15, 16]);

describe('the safety-words field', () => {
  it('an offer carries its commitment through text and QR', () => {
    const code = encodeDescription({ type: 'offer', sdp: offer.sdp }, { sas: commit });
    if (!code.ok) throw new Error(code.error.kind);
    expect(code.value.sas).toBe(true);
    for (const text of [code.value.text, code.value.qr]) {
      const back = decodeInput(text, { expect: 'offer' });
      expect(back.ok && [...(back.value.sas ?? [])]).toEqual([...commit]);
    }
    const plain = encodeDescription({ type: 'offer', sdp: offer.sdp });
    // 4 bytes more than the same offer without the field.
    expect(plain.ok && code.value.bytes.length - plain.value.bytes.length).toBe(4);
  });
  it('an answer carries its secret, and its binding still holds', () => {
    const code = encodeDescription({ type: 'answer', sdp: answer.sdp }, { offerSdp: offer.sdp, sas: secret });
    if (!code.ok) throw new Error(code.error.kind);
    const back = decodeInput(code.value.text, { expect: 'answer', offerSdp: offer.sdp });
    expect(back.ok && [...(back.value.sas ?? [])]).toEqual([...secret]);
    const other = get('firefox-firefox-mdns-offer.sdp');
    const wrong = decodeInput(code.value.text, { expect: 'answer', offerSdp: other.sdp });
    expect(wrong.ok ? null : wrong.error.kind).toBe('wrong-session');
  });
  it('the fallback form carries no field (the words cannot be shown)', () => {
    const forced = encodeDescription({ type: 'offer', sdp: offer.sdp }, { sas: commit, forceFallback: true });
    expect(forced.ok && forced.value.sas).toBe(false);
    const back = forced.ok ? decodeInput(forced.value.text) : null;
    expect(back?.ok && 'sas' in back.value).toBe(false);
    if (!media) throw new Error('no media fixture');
    const m = encodeDescription({ type: 'offer', sdp: media.sdp }, { sas: commit });
    expect(m.ok && m.value.sas).toBe(false);
  });
  it('a version-1 code (no field) is still read', () => {
    const code = encodeDescription({ type: 'offer', sdp: offer.sdp });
    if (!code.ok) throw new Error(code.error.kind);
    // The same frame as version 1 wrote it: the version bits changed, the CRC made again.
    const v1 = Uint8Array.from(code.value.bytes);
    v1[0] = ((v1[0] ?? 0) & 0x1f) | (1 << 5);
    const crc = crc16(v1.subarray(0, 2), v1.subarray(4));
    v1[2] = crc >> 8;
    v1[3] = crc & 0xff;
    const back = decodeInput(toBase64Url(v1));
    expect(back.ok && back.value.sdp).toBe(decodeInput(code.value.text).ok && back.ok ? back.value.sdp : '');
    expect(back.ok && 'sas' in back.value).toBe(false);
  });
  it('a field of the wrong length is left off, never written half', () => {
    const code = encodeDescription({ type: 'offer', sdp: offer.sdp }, { sas: Uint8Array.of(1, 2) });
    expect(code.ok && code.value.sas).toBe(false);
    // An answer's secret in an offer (and the reverse) is the wrong length too.
    const swapped = encodeDescription({ type: 'offer', sdp: offer.sdp }, { sas: secret });
    expect(swapped.ok && swapped.value.sas).toBe(false);
    const answerWithCommit = encodeDescription(
      { type: 'answer', sdp: answer.sdp },
      { offerSdp: offer.sdp, sas: commit },
    );
    expect(answerWithCommit.ok && answerWithCommit.value.sas).toBe(false);
  });
  it('a one-candidate mDNS offer with its commitment stays within QR version 5 at ECC M', () => {
    for (const name of ['chrome-chrome-mdns-offer.sdp', 'firefox-firefox-mdns-offer.sdp']) {
      const code = encodeDescription({ type: 'offer', sdp: get(name).sdp }, { sas: commit });
      if (!code.ok) throw new Error(code.error.kind);
      expect(code.value.sas, name).toBe(true);
      expect(
        QRCode.create([{ data: code.value.qr, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' }).version,
        name,
      ).toBeLessThanOrEqual(5);
    }
  });
});
