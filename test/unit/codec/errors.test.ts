import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { decodeInput, encodeDescription, linkFor } from '../../../src/codec/index.ts';
import { loadFixtures } from './fixtures.ts';

const fx = loadFixtures();
const get = (suffix: string) => {
  const f = fx.find((x) => x.name.endsWith(suffix));
  if (!f) throw new Error(`missing ${suffix}`);
  return f;
};
const offer = get('chrome-chrome-mdns-offer.sdp');
const answer = get('chrome-chrome-mdns-answer.sdp');
const otherOffer = get('firefox-firefox-mdns-offer.sdp');
const encode = (type: 'offer' | 'answer', sdp: string, offerSdp?: string) => {
  const r = encodeDescription({ type, sdp }, offerSdp ? { offerSdp } : {});
  if (!r.ok) throw new Error(r.error.kind);
  return r.value;
};
const offerCode = encode('offer', offer.sdp);
const answerCode = encode('answer', answer.sdp, offer.sdp);
const offerCodeOf = (sdp: string) => encode('offer', sdp).text;
const decoded = (text: string) => {
  const r = decodeInput(text);
  return r.ok ? r.value.sdp : null;
};
const kind = (input: string, opts = {}) => {
  const r = decodeInput(input, opts);
  return r.ok ? `ok:${r.value.format}` : r.error.kind;
};

describe('errors a person can act on', () => {
  it('empty', () => {
    expect(kind('')).toBe('empty');
    expect(kind('  \n ')).toBe('empty');
  });
  it('not a Pigeon code', () => {
    expect(kind('hello there, how are you?')).toBe('not-a-code');
    expect(kind('{"foo": 1}')).toBe('not-a-code');
  });
  it('damaged: one character changed', () => {
    const t = offerCode.text;
    const i = 40;
    expect(kind(t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1))).toBe('damaged');
  });
  it('cut short, at every length', () => {
    for (let n = 8; n < offerCode.text.length; n++)
      expect(kind(offerCode.text.slice(0, n)), `cut at ${n}`).toBe('cut-short');
  });
  it('cut short', () => {
    expect(kind(offerCode.text.slice(0, 60))).toBe('cut-short');
    expect(kind(offerCode.text.slice(0, -4))).toBe('cut-short');
    expect(kind(offerCode.qr.slice(0, 90))).toBe('cut-short');
  });
  it('made by a newer version', () => {
    const bytes = Uint8Array.from(offerCode.bytes);
    bytes[0] = ((bytes[0] ?? 0) & 0x1f) | (3 << 5);
    const fixed = decodeInput(reframe(bytes));
    expect(fixed.ok ? null : fixed.error).toEqual({ kind: 'newer-version', version: 3 });
  });
  it('the resume mark: kept on offers in both forms, never on plain codes, refused on answers', () => {
    for (const sdp of [offer.sdp, otherOffer.sdp]) {
      for (const forceFallback of [false, true]) {
        const code = encodeDescription({ type: 'offer', sdp }, { resume: true, forceFallback });
        if (!code.ok) throw new Error(code.error.kind);
        for (const text of [code.value.text, code.value.qr]) {
          const r = decodeInput(text, { expect: 'offer' });
          expect(r.ok && r.value.resume).toBe(true);
          // Same SDP as the code without the mark: exact in the fallback, regenerated from the compact form.
          expect(r.ok && r.value.sdp).toBe(forceFallback ? sdp : decoded(offerCodeOf(sdp)));
        }
      }
    }
    const plain = decodeInput(offerCode.text);
    expect(plain.ok && 'resume' in plain.value).toBe(false);
    // An answer never resumes anything: asked for, the mark is left off; forged, the code is refused.
    const asked = encodeDescription(
      { type: 'answer', sdp: answer.sdp },
      { offerSdp: offer.sdp, resume: true },
    );
    expect(asked.ok && asked.value.text).toBe(answerCode.text);
    const forged = Uint8Array.from(answerCode.bytes);
    forged[0] = (forged[0] ?? 0) | 2;
    expect(kind(reframe(forged))).toBe('not-a-code');
    // Version 1 reserved the bit that version 2 uses for the safety-words field.
    const reserved = Uint8Array.from(offerCode.bytes);
    reserved[0] = ((reserved[0] ?? 0) & 0x1f) | (1 << 5) | 1;
    expect(kind(reframe(reserved))).toBe('not-a-code');
  });
  it('an offer where an answer was expected, and the reverse', () => {
    const r = decodeInput(offerCode.text, { expect: 'answer' });
    expect(r.ok ? null : r.error).toEqual({ kind: 'unexpected-type', expected: 'answer', got: 'offer' });
    expect(kind(answerCode.text, { expect: 'offer' })).toBe('unexpected-type');
  });
  it('an answer to a different offer', () => {
    expect(kind(answerCode.text, { expect: 'answer', offerSdp: offer.sdp })).toBe('ok:pigeon');
    expect(kind(answerCode.text, { expect: 'answer', offerSdp: otherOffer.sdp })).toBe('wrong-session');
  });
  it('an answer cannot be encoded without the offer it answers', () => {
    const r = encodeDescription({ type: 'answer', sdp: answer.sdp });
    expect(r.ok ? null : r.error.kind).toBe('unsupported-sdp');
  });
});

describe('tolerant text input', () => {
  const wrapped = offerCode.text.replace(/(.{30})/g, '$1\n');
  const cases: Record<string, string> = {
    'line breaks': wrapped,
    spaces: offerCode.text.replace(/(.{10})/g, '$1 '),
    quotes: `"${offerCode.text}"`,
    'curly quotes': `\u201c${offerCode.text}\u201d`,
    'chat quoting': wrapped
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n'),
    'nested quoting': `> > ${offerCode.text}`,
    'a link': `Join me: https://example.org/pigeon/#${offerCode.text}`,
    'a link in angle brackets': `<https://example.org/p/#${offerCode.text}>`,
    'a trailing full stop': `${offerCode.text}.`,
    'the QR rendering': offerCode.qr,
    'the QR rendering as a link': `HTTPS://EXAMPLE.ORG/#${offerCode.qr}`,
    'zero-width characters': offerCode.text.replace(/(.{20})/g, '$1\u200b'),
  };
  for (const [name, input] of Object.entries(cases)) {
    it(name, () => expect(kind(input, { expect: 'offer' })).toBe('ok:pigeon'));
  }
  it('linkFor puts the code in the fragment and replaces an old one', () => {
    expect(linkFor('https://a.example/p/', 'XYZ')).toBe('https://a.example/p/#XYZ');
    expect(linkFor('https://a.example/p/#old', 'XYZ')).toBe('https://a.example/p/#XYZ');
  });
  it('linkFor never carries the page’s query', () => {
    expect(linkFor('https://a.example/p/?utm=x', 'XYZ')).toBe('https://a.example/p/#XYZ');
    expect(linkFor('https://a.example/p/?a#b?c', 'XYZ')).toBe('https://a.example/p/#XYZ');
    expect(linkFor(`https://a.example/p/?q=${'x'.repeat(2_000)}`, offerCode.text)).toBe(
      `https://a.example/p/#${offerCode.text}`,
    );
  });
});

describe("other tools' codes on input", () => {
  const json = JSON.stringify({ type: 'offer', sdp: offer.sdp });
  const cases: Record<string, [string, string]> = {
    'raw SDP': [offer.sdp, 'sdp'],
    'raw SDP with LF endings': [offer.sdp.replace(/\r\n/g, '\n'), 'sdp'],
    'JSON session description': [json, 'json'],
    'base64 of the JSON (pion examples)': [btoa(json), 'base64-json'],
    'lz-string of the SDP (URI-safe)': [LZString.compressToEncodedURIComponent(offer.sdp), 'lz-string'],
    'lz-string of the JSON (base64)': [LZString.compressToBase64(json), 'lz-string'],
  };
  for (const [name, [input, format]] of Object.entries(cases)) {
    it(name, () => {
      const r = decodeInput(input, { expect: 'offer' });
      expect(r.ok && r.value.format).toBe(format);
      expect(r.ok && r.value.sdp).toBe(offer.sdp);
    });
  }
  it('infers an answer from its setup role', () => {
    const r = decodeInput(answer.sdp);
    expect(r.ok && r.value.type).toBe('answer');
  });
});

import { crc16 } from '../../../src/codec/checksum.ts';
import { toBase64Url } from '../../../src/codec/text.ts';

/** Re-seal a hand-altered frame with a valid CRC, to reach the checks behind it. */
function reframe(bytes: Uint8Array): string {
  const crc = crc16(bytes.subarray(0, 2), bytes.subarray(4));
  bytes[2] = crc >> 8;
  bytes[3] = crc & 0xff;
  return toBase64Url(bytes);
}
