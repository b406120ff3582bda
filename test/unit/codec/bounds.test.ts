// Hostile input is refused by size before and while it is decompressed (limits.ts), as a typed error, and
// the largest real codes still pass.
import { deflateSync } from 'fflate';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { SDP_DICTIONARY } from '../../../src/codec/dictionary.ts';
import { writeFrame } from '../../../src/codec/frame.ts';
import { decodeInput, encodeDescription } from '../../../src/codec/index.ts';
import {
  MAX_INPUT_CHARS,
  MAX_LZ_BYTES,
  MAX_LZ_TEXT_CHARS,
  MAX_SDP_CHARS,
} from '../../../src/codec/limits.ts';
import { codeCandidates, toBase64Url } from '../../../src/codec/text.ts';
import { loadFixtures } from './fixtures.ts';

const utf8 = new TextEncoder();
/** A stored SDP text of exactly `chars` characters (no line end, so none is restored on decoding). */
const sdpOf = (chars: number) => `v=0${'a'.repeat(chars - 3)}`;
const deflateCode = (stored: string) =>
  toBase64Url(
    writeFrame({
      form: 'deflate',
      type: 'offer',
      binding: null,
      resume: false,
      body: deflateSync(utf8.encode(stored), { level: 9, dictionary: utf8.encode(SDP_DICTIONARY) }),
    }),
  );
const lzCode = (stored: string) =>
  toBase64Url(
    writeFrame({
      form: 'lz',
      type: 'offer',
      binding: null,
      resume: false,
      body: LZString.compressToUint8Array(stored),
    }),
  );
const kind = (input: string) => {
  const r = decodeInput(input, { expect: 'offer' });
  return r.ok ? `ok:${r.value.format}:${r.value.sdp.length}` : r.error.kind;
};
/** Text lz-string cannot shrink much: printable characters from a fixed linear congruential sequence. */
function pseudoRandomText(n: number): string {
  let x = 1;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += String.fromCharCode(33 + (x % 90));
  }
  return s;
}
/** Far above the linear code's worst here (< 5 ms), far below the quadratic regex's (~3 s under load). */
const LINEAR_BOUND_MS = 500;

describe('size bounds', () => {
  it('a deflate bomb (a 4 kB code inflating to 4 MB) is refused while inflating', () => {
    const code = deflateCode(sdpOf(4 * 1024 * 1024));
    expect(code.length).toBeLessThan(6_000);
    expect(kind(code)).toBe('too-large');
  });

  it('a small deflate code just over the SDP bound is refused, one at the bound is taken', () => {
    expect(kind(deflateCode(sdpOf(MAX_SDP_CHARS + 1)))).toBe('too-large');
    expect(kind(deflateCode(sdpOf(MAX_SDP_CHARS)))).toBe(`ok:pigeon:${MAX_SDP_CHARS}`);
  });

  it('an lz body over its bound is refused unread; one under it that expands too far is refused after', () => {
    const noise = `v=0\n${pseudoRandomText(20_000)}`;
    expect(LZString.compressToUint8Array(noise).length).toBeGreaterThan(MAX_LZ_BYTES);
    expect(kind(lzCode(noise))).toBe('too-large');
    expect(kind(lzCode(sdpOf(MAX_SDP_CHARS + 1)))).toBe('too-large');
    expect(kind(lzCode(sdpOf(MAX_SDP_CHARS)))).toBe(`ok:pigeon:${MAX_SDP_CHARS}`);
  });

  it('foreign lz-string text is bounded the same way', () => {
    const bomb = LZString.compressToEncodedURIComponent(`v=0\r\n${'a'.repeat(200_000)}`);
    expect(bomb.length).toBeLessThan(MAX_LZ_TEXT_CHARS); // under the bound: expands, then is refused
    expect(kind(bomb)).toBe('too-large');
    const long = LZString.compressToBase64(`v=0\r\n${pseudoRandomText(20_000)}`);
    expect(long.length).toBeGreaterThan(MAX_LZ_TEXT_CHARS);
    expect(kind(long)).toBe('too-large');
  });

  it('a valid frame whose body decompresses to something other than an SDP is refused', () => {
    // Found by the fuzz (hostile.test.ts): random bytes behind a valid CRC inflated to 120 chars of junk, accepted.
    expect(kind(deflateCode('not an SDP at all'))).toBe('damaged');
    expect(kind(lzCode('not an SDP at all'))).toBe('damaged');
  });

  it('raw SDP, JSON and base64 JSON over the SDP bound are refused', () => {
    const sdp = `v=0\r\na=setup:actpass\r\n${'a=x\r\n'.repeat(MAX_SDP_CHARS / 5)}`;
    const json = JSON.stringify({ type: 'offer', sdp });
    expect(kind(sdp)).toBe('too-large');
    expect(kind(json)).toBe('too-large');
    expect(kind(btoa(json))).toBe('too-large');
  });

  it('input over MAX_INPUT_CHARS is refused before it is read', () => {
    expect(kind('A'.repeat(MAX_INPUT_CHARS + 1))).toBe('too-large');
    expect(kind(`v=0\r\n${'x'.repeat(MAX_INPUT_CHARS)}`)).toBe('too-large');
  });

  it('the largest real codes pass in every form, with room to spare', () => {
    const media = loadFixtures().filter((f) => f.name.includes('media'));
    expect(media.length).toBeGreaterThan(0);
    for (const f of media) {
      expect(f.sdp.length * 8).toBeLessThan(MAX_SDP_CHARS);
      const json = JSON.stringify({ type: f.type, sdp: f.sdp });
      const lz = LZString.compressToEncodedURIComponent(json);
      expect(lz.length * 2).toBeLessThan(MAX_LZ_TEXT_CHARS);
      const forced = encodeDescription(
        { type: f.type, sdp: f.sdp },
        { forceFallback: true, ...(f.offer ? { offerSdp: f.offer } : {}) },
      );
      if (!forced.ok) throw new Error(forced.error.kind);
      for (const input of [forced.value.text, forced.value.qr, f.sdp, json, btoa(json), lz]) {
        const r = decodeInput(input, { expect: f.type });
        expect(r.ok && r.value.sdp, `${f.name} ${input.slice(0, 20)}`).toBe(f.sdp);
      }
    }
  });
});

describe('trailing punctuation', () => {
  it('is dropped in linear time from a 40,000-character run that does not end the input', () => {
    const started = performance.now();
    expect(codeCandidates(`${'.'.repeat(40_000)}A`)).toEqual([`${'.'.repeat(40_000)}A`]);
    expect(codeCandidates(`AB${'.!?'.repeat(20_000)}`)).toEqual([`AB${'.!?'.repeat(20_000)}`, 'AB']);
    expect(performance.now() - started).toBeLessThan(LINEAR_BOUND_MS);
  });

  it('after a real code, is dropped and the code read', () => {
    const f = loadFixtures()[0];
    if (!f) throw new Error('no fixture');
    const code = encodeDescription({ type: f.type, sdp: f.sdp }, f.offer ? { offerSdp: f.offer } : {});
    if (!code.ok) throw new Error(code.error.kind);
    const plain = decodeInput(code.value.text);
    const r = decodeInput(`${code.value.text}${'.'.repeat(10_000)}`);
    expect(plain.ok).toBe(true);
    expect(r).toEqual(plain);
  });
});
