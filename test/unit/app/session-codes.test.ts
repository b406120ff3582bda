// The codes a session shows: an offer that carries a session on is marked resume and tagged with the session's
// words digest (reconnect-tag.ts), so the peer can tell it from one made by someone who knows the certificate.
import { describe, expect, it } from 'vitest';
import { reconnectTag } from '../../../src/app/reconnect-tag.ts';
import { sessionCode } from '../../../src/app/session-codes.ts';
import { decodeInput } from '../../../src/codec/index.ts';
import type { SessionState } from '../../../src/rtc/index.ts';
import { loadFixtures } from '../codec/fixtures.ts';

const offer = loadFixtures().find((f) => f.name.endsWith('chrome-chrome-mdns-offer.sdp'))?.sdp ?? '';
const key = new Uint8Array(32).fill(5);
const carryingOn = (withKey: boolean) =>
  ({
    kind: 'offer-ready',
    role: 'offerer',
    sdp: offer,
    chat: [],
    sas: { own: new Uint8Array(0), commit: null, peer: null, offerFp: null, answerFp: null },
    prior: {
      sas: withKey
        ? { kind: 'shown', symbols: [1, 2, 3, 4, 5, 6], remote: false, key }
        : { kind: 'unverifiable' },
      fingerprints: null,
      verified: null,
    },
  }) as unknown as SessionState;

function decoded(s: SessionState) {
  const code = sessionCode(s, null);
  if (code === null || !code.ok) throw new Error('no code');
  const read = decodeInput(code.value.text, { expect: 'offer' });
  if (!read.ok) throw new Error(read.error.kind);
  return read.value;
}

describe('sessionCode', () => {
  it("a carried-on session's offer is marked resume and tagged with the session's key", () => {
    expect(offer).toContain('a=ice-ufrag:');
    const read = decoded(carryingOn(true));
    expect(read.resume).toBe(true);
    expect(read.sas).toEqual(reconnectTag(key));
  });

  it('without a key (the words were never shown) it carries no field', () => {
    const read = decoded(carryingOn(false));
    expect(read.resume).toBe(true);
    expect(read.sas).toBeUndefined();
  });
});
