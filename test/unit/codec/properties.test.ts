import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Address, CandidateType, Transport } from '../../../src/codec/candidate.ts';
import { crc16 } from '../../../src/codec/checksum.ts';
import {
  type Bootstrap,
  FINGERPRINT_LENGTH,
  fromBootstrap,
  toBootstrap,
} from '../../../src/codec/compact.ts';
import { decodeInput, encodeDescription } from '../../../src/codec/index.ts';
import { readBootstrap, writeBootstrap } from '../../../src/codec/layout.ts';
import { QR_ALPHABET, toBase43, toBase64Url } from '../../../src/codec/text.ts';
import { loadFixtures } from './fixtures.ts';

const ICE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const iceString = (min: number, max: number) =>
  fc.array(fc.constantFrom(...ICE), { minLength: min, maxLength: max }).map((a) => a.join(''));
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const address: fc.Arbitrary<Address> = fc.oneof(
  bytes(4).map((b) => ({ kind: 'ipv4' as const, bytes: b })),
  bytes(16).map((b) => ({ kind: 'ipv6' as const, bytes: b })),
  bytes(16).map((b) => ({ kind: 'mdns' as const, bytes: b })),
);
const candidate = fc
  .record({
    transport: fc.constantFrom<Transport>('udp', 'tcp-active', 'tcp-passive', 'tcp-so'),
    type: fc.constantFrom<CandidateType>('host', 'srflx', 'prflx', 'relay'),
    address,
    port: fc.integer({ min: 1, max: 65535 }),
    related: fc.option(fc.record({ address, port: fc.integer({ min: 1, max: 65535 }) }), { nil: null }),
  })
  // What SDP itself cannot say differently: active TCP uses port 9, host candidates have no related address.
  .map((c) => ({
    ...c,
    port: c.transport === 'tcp-active' ? 9 : c.port,
    related: c.type === 'host' ? null : c.related,
  }));

const bootstrap: fc.Arbitrary<Bootstrap> = fc
  .record({
    type: fc.constantFrom('offer' as const, 'answer' as const),
    ufrag: iceString(4, 32),
    pwd: iceString(22, 64),
    alg: fc.constantFrom('sha-256' as const, 'sha-1' as const, 'sha-384' as const, 'sha-512' as const),
    fp: bytes(64),
    setup: fc.constantFrom('actpass' as const, 'active' as const, 'passive' as const),
    mid: fc.constantFrom('0', '1', 'data', 'x'),
    sctpPort: fc.constantFrom(5000, 5001, 65535),
    maxMessageSize: fc.constantFrom(null, 65536, 262144, 1073741823),
    candidates: fc
      .array(fc.tuple(candidate, fc.boolean()), { maxLength: 8 })
      // Browsers list an active TCP host candidate for each interface: as the codec's canonical order has
      // it, right after the UDP host candidate on the same address.
      .map((cs) =>
        cs.flatMap(([c, twin]) =>
          twin && c.type === 'host' && c.transport === 'udp'
            ? [c, { ...c, transport: 'tcp-active' as const, port: 9 }]
            : [c],
        ),
      ),
  })
  .map(({ alg, fp, ...b }) => ({ ...b, fingerprint: { alg, bytes: fp.slice(0, FINGERPRINT_LENGTH[alg]) } }));

const fixtures = loadFixtures();
/** Thousands of decodes per fixture: generous, since CI shares two cores with browsers. */
const EXHAUSTIVE_TIMEOUT_MS = 120_000;
const OFFER = fixtures.find((f) => f.name.endsWith('chrome-chrome-mdns-offer.sdp'))?.sdp ?? '';

describe('properties', () => {
  it('bytes: readBootstrap ∘ writeBootstrap is the identity on generated descriptors', () => {
    fc.assert(
      fc.property(bootstrap, (b) => {
        expect(readBootstrap(b.type, writeBootstrap(b))).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it('whole path: descriptor → SDP → code → SDP → descriptor is the identity', () => {
    fc.assert(
      fc.property(bootstrap, (b) => {
        const sdp = fromBootstrap(b);
        const code = encodeDescription({ type: b.type, sdp }, { offerSdp: OFFER });
        if (!code.ok) throw new Error(code.error.kind);
        expect(code.value.form).toBe('compact');
        const back = decodeInput(code.value.text, { expect: b.type, offerSdp: OFFER });
        if (!back.ok) throw new Error(back.error.kind);
        const again = toBootstrap(b.type, back.value.sdp);
        expect(again.ok && again.value).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it('decode never throws on any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...B64) })),
        (s) => {
          expect(() => decodeInput(s)).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('decode never throws on any byte array, even behind a valid frame header and CRC', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (raw, seal) => {
        const b = Uint8Array.from(raw);
        if (seal && b.length >= 4) {
          b[0] = ((b[0] ?? 0) & 0x1c) | (1 << 5); // version 1, any form and type, reserved bits 0
          b[1] = b.length & 0xff;
          const crc = crc16(b.subarray(0, 2), b.subarray(4));
          b[2] = crc >> 8;
          b[3] = crc & 0xff;
        }
        for (const text of [toBase64Url(b), toBase43(b)]) expect(() => decodeInput(text)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });
});

describe('every single-character change to a code is caught', () => {
  const compactFixtures = fixtures.filter((f) => f.dataOnly);
  for (const f of compactFixtures) {
    it(
      f.name,
      () => {
        const code = encodeDescription({ type: f.type, sdp: f.sdp }, f.offer ? { offerSdp: f.offer } : {});
        if (!code.ok) throw new Error(code.error.kind);
        let tried = 0;
        for (const [text, alphabet] of [
          [code.value.text, B64],
          [code.value.qr, QR_ALPHABET],
        ] as const) {
          for (let i = 0; i < text.length; i++) {
            for (const ch of alphabet) {
              if (ch === text[i]) continue;
              const r = decodeInput(text.slice(0, i) + ch + text.slice(i + 1));
              tried++;
              if (r.ok) throw new Error(`undetected change at ${i} to ${ch}`);
            }
          }
        }
        expect(tried).toBeGreaterThan(5000);
      },
      EXHAUSTIVE_TIMEOUT_MS,
    );
  }
});
