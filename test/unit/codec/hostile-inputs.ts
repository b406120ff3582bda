// Hostile inputs for the code decoder, shared by the unit property test (hostile.test.ts, a few thousand runs)
// and scripts/fuzz-codes.ts (100,000): random text, bit-flipped and truncated real codes, foreign formats,
// oversized input and decompression bombs. Each goes through the path the UI takes (app/controller.ts
// submitCode: a live session's reconnect check, then decodeInput with expect / offerSdp).

import fc from 'fast-check';
import { deflateSync } from 'fflate';
import LZString from 'lz-string';
import { takeReconnectInput } from '../../../src/app/reconnect.ts';
import { crc16 } from '../../../src/codec/checksum.ts';
import { SDP_DICTIONARY } from '../../../src/codec/dictionary.ts';
import { writeFrame } from '../../../src/codec/frame.ts';
import { type CodecError, decodeInput, encodeDescription } from '../../../src/codec/index.ts';
import { MAX_INPUT_CHARS, MAX_SDP_CHARS } from '../../../src/codec/limits.ts';
import { QR_ALPHABET, toBase43, toBase64Url } from '../../../src/codec/text.ts';
import { loadFixtures } from './fixtures.ts';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const KINDS: ReadonlySet<CodecError['kind']> = new Set([
  'empty',
  'not-a-code',
  'damaged',
  'cut-short',
  'newer-version',
  'unexpected-type',
  'wrong-session',
  'unsupported-sdp',
  'too-large',
]);
/** Largest decompression bombs built here (building bigger ones takes seconds; the codec's bound is far lower). */
const DEFLATE_BOMB_CHARS = 2 * 1024 * 1024;
const LZ_BOMB_CHARS = 100_000;

const fixtures = loadFixtures();
const offers = fixtures.filter((f) => f.type === 'offer');
const firstOffer = offers[0]?.sdp ?? '';

/** A real code's frame bytes and text forms, and the offer an answer is bound to. */
interface Sample {
  readonly bytes: Uint8Array;
  readonly texts: readonly string[];
  readonly offerSdp: string;
}

function samples(): Sample[] {
  const out: Sample[] = [];
  for (const f of fixtures) {
    const offerSdp = f.offer ?? f.sdp;
    for (const forceFallback of [false, true]) {
      const c = encodeDescription(
        { type: f.type, sdp: f.sdp },
        { forceFallback, ...(f.offer ? { offerSdp: f.offer } : {}) },
      );
      if (!c.ok) continue;
      const json = JSON.stringify({ type: f.type, sdp: f.sdp });
      const foreign = forceFallback
        ? [f.sdp, json, btoa(json), LZString.compressToEncodedURIComponent(json)]
        : [LZString.compressToBase64(f.sdp), `https://example.org/app/#${c.value.qr}`];
      out.push({ bytes: c.value.bytes, texts: [c.value.text, c.value.qr, ...foreign], offerSdp });
    }
  }
  return out;
}

const utf8 = new TextEncoder();
const frameOf = (form: 'deflate' | 'lz', body: Uint8Array) =>
  writeFrame({ form, type: 'offer', binding: null, resume: false, body });

/** Codes that are valid frames but expand far beyond MAX_SDP_CHARS. */
function bombs(): string[] {
  const deflate = deflateSync(utf8.encode(`v=0\n${'a'.repeat(DEFLATE_BOMB_CHARS)}`), {
    level: 9,
    dictionary: utf8.encode(SDP_DICTIONARY),
  });
  const lz = LZString.compressToUint8Array(`v=0\n${'a'.repeat(LZ_BOMB_CHARS)}`);
  return [
    toBase64Url(frameOf('deflate', deflate)),
    toBase43(frameOf('deflate', deflate)),
    toBase64Url(frameOf('lz', lz)),
    LZString.compressToEncodedURIComponent(`v=0\r\n${'a'.repeat(LZ_BOMB_CHARS)}`),
  ];
}

export const SAMPLES = samples();
export const BOMBS = bombs();

/** Recomputes a frame's length byte and CRC, so damage reaches the parsers behind the checksum. */
function seal(bytes: Uint8Array): Uint8Array {
  const b = Uint8Array.from(bytes);
  if (b.length < 4) return b;
  b[1] = b.length & 0xff;
  const crc = crc16(b.subarray(0, 2), b.subarray(4));
  b[2] = crc >> 8;
  b[3] = crc & 0xff;
  return b;
}

const sample = fc.constantFrom(...SAMPLES);
const render = (b: Uint8Array, asQr: boolean) => (asQr ? toBase43(b) : toBase64Url(b));

const bitFlipped = fc
  .record({
    s: sample,
    flips: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    sealed: fc.boolean(),
    asQr: fc.boolean(),
  })
  .map(({ s, flips, sealed, asQr }) => {
    const b = Uint8Array.from(s.bytes);
    for (const f of flips) {
      const bit = f % (b.length * 8);
      b[bit >> 3] = (b[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    }
    return render(sealed ? seal(b) : b, asQr);
  });

const truncated = fc
  .record({ s: sample, which: fc.nat(), at: fc.nat(), tail: fc.boolean() })
  .map(({ s, which, at, tail }) => {
    const t = s.texts[which % s.texts.length] ?? '';
    const n = at % (t.length + 1);
    return tail ? t.slice(n) : t.slice(0, n);
  });

const edited = fc
  .record({ s: sample, which: fc.nat(), at: fc.nat(), junk: fc.string({ maxLength: 8 }), cut: fc.nat(4) })
  .map(({ s, which, at, junk, cut }) => {
    const t = s.texts[which % s.texts.length] ?? '';
    const i = at % (t.length + 1);
    return t.slice(0, i) + junk + t.slice(i + cut);
  });

/** Real codes as a person might paste them: quoted, in a sentence, twice, behind a link. */
const wrapped = fc
  .record({
    s: sample,
    which: fc.nat(),
    before: fc.constantFrom('', '> ', '"', '«', 'code: ', 'https://x.example/?q=1#', '\u200b', '#'),
    after: fc.constantFrom('', '.', '!!!', '"', '»', '\n', ' thanks', '.'.repeat(5000), '#'),
    twice: fc.boolean(),
  })
  .map(({ s, which, before, after, twice }) => {
    const t = s.texts[which % s.texts.length] ?? '';
    return before + t + after + (twice ? ` ${t}` : '');
  });

/** A valid frame header and CRC around random bytes, in every form. */
const sealedNoise = fc
  .record({ head: fc.nat(255), body: fc.uint8Array({ maxLength: 2000 }), asQr: fc.boolean() })
  .map(({ head, body, asQr }) => {
    const b = new Uint8Array(4 + body.length);
    b[0] = (head & 0x1c) | (1 << 5);
    b.set(body, 4);
    return render(seal(b), asQr);
  });

const randomText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...B64URL), maxLength: 3000 }),
  fc.string({ unit: fc.constantFrom(...QR_ALPHABET), maxLength: 3000 }),
);

const foreignMutated = fc.oneof(
  fc.string({ maxLength: 200 }).map((s) => `v=0\r\n${s}`),
  fc
    .record({ type: fc.constantFrom('offer', 'answer', 'x'), sdp: fc.string() })
    .map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 500 }).map((s) => LZString.compressToEncodedURIComponent(s)),
  fc.string({ maxLength: 500 }).map((s) => LZString.compressToBase64(`v=0\r\n${s}`)),
  fc.string({ maxLength: 500 }).map((s) => btoa(JSON.stringify({ type: 'offer', sdp: `v=0\r\n${s}` }))),
);

/** Around and beyond the input bound; and bombs. */
const oversized = fc.oneof(
  fc
    .record({
      n: fc.integer({ min: MAX_INPUT_CHARS - 2000, max: MAX_INPUT_CHARS + 2000 }),
      ch: fc.constantFrom('A', '.', ' ', '0', '\u00a0'),
      prefix: fc.constantFrom('', 'v=0\r\n', '{"type":"offer","sdp":"v=0\\r\\n'),
    })
    .map(({ n, ch, prefix }) => prefix + ch.repeat(Math.max(0, n - prefix.length))),
  fc
    .record({ s: sample, n: fc.integer({ min: 1, max: 200 }) })
    .map(({ s, n }) => s.texts[0]?.repeat(n) ?? ''),
  fc.constantFrom(...BOMBS),
);

export type Path = 'offer' | 'answer' | 'reconnect';

export const hostileInput = fc.record({
  text: fc.oneof(
    { arbitrary: randomText, weight: 3 },
    { arbitrary: bitFlipped, weight: 3 },
    { arbitrary: truncated, weight: 2 },
    { arbitrary: edited, weight: 2 },
    { arbitrary: wrapped, weight: 1 },
    { arbitrary: sealedNoise, weight: 2 },
    { arbitrary: foreignMutated, weight: 2 },
    { arbitrary: oversized, weight: 1 },
  ),
  path: fc.constantFrom<Path>('offer', 'answer', 'reconnect'),
  offerSdp: fc.constantFrom(...offers.map((f) => f.sdp)),
});

export type Outcome = 'ok' | CodecError['kind'] | 'reconnect-intent' | 'reconnect-other';

/**
 * Decodes as the UI does and checks the result is a typed error or a usable description; throws (an uncaught
 * exception, or a result of the wrong shape) otherwise.
 */
export function decodeLikeTheApp(text: string, path: Path, offerSdp: string): Outcome {
  if (path === 'reconnect') {
    const r = takeReconnectInput(text, offerSdp, firstOffer, true, null);
    if (r.kind === 'error') return checkError(r.error);
    return r.kind === 'intent' ? 'reconnect-intent' : 'reconnect-other';
  }
  const r = decodeInput(text, path === 'offer' ? { expect: 'offer' } : { expect: 'answer', offerSdp });
  if (!r.ok) return checkError(r.error);
  const { type, sdp } = r.value;
  if (type !== path) throw new Error(`decoded a ${type} when expecting an ${path}`);
  if (typeof sdp !== 'string' || !sdp.startsWith('v=0') || sdp.length > MAX_SDP_CHARS)
    throw new Error(`decoded an unusable SDP (${typeof sdp}, ${String(sdp).length} chars)`);
  return 'ok';
}

function checkError(e: CodecError): Outcome {
  if (!KINDS.has(e.kind)) throw new Error(`untyped error ${JSON.stringify(e)}`);
  return e.kind;
}
