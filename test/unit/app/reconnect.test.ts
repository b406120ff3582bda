// Recognising a code read in during a session: the peer's restart offer, its new connection's offer, or an
// unrelated code (a new connection with someone else). Real SDPs from the fixtures.
import { describe, expect, it } from 'vitest';
import { carriedOn, takeReconnectInput } from '../../../src/app/reconnect.ts';
import { reconnectTag } from '../../../src/app/reconnect-tag.ts';
import { SAS_FIELD_LENGTH } from '../../../src/codec/frame.ts';
import { encodeDescription } from '../../../src/codec/index.ts';
import type { SessionState } from '../../../src/rtc/index.ts';
import { loadFixtures } from '../codec/fixtures.ts';

const fx = loadFixtures();
const sdpOf = (suffix: string) => {
  const f = fx.find((x) => x.name.endsWith(suffix));
  if (!f) throw new Error(`missing fixture ${suffix}`);
  return f.sdp;
};
/** The peer's first offer: what this device holds as the remote description. */
const peer = sdpOf('chrome-chrome-mdns-offer.sdp');
const stranger = sdpOf('firefox-firefox-mdns-offer.sdp');
const answer = sdpOf('chrome-chrome-mdns-answer.sdp');
const code = (type: 'offer' | 'answer', sdp: string, opts = {}) => {
  const r = encodeDescription({ type, sdp }, opts);
  if (!r.ok) throw new Error(r.error.kind);
  return r.value.text;
};

describe('takeReconnectInput', () => {
  it("the peer's new connection (resume mark, same fingerprint) is joined as this session, lost or not", () => {
    for (const connected of [true, false]) {
      const taken = takeReconnectInput(code('offer', peer, { resume: true }), null, peer, connected, null);
      expect(taken.kind).toBe('intent');
      if (taken.kind !== 'intent') return;
      expect(taken.intent).toMatchObject({ type: 'join', resume: true });
      expect(taken.offerSdp).not.toBeNull();
    }
  });

  it("the peer's restart offer is answered on a live connection, and makes a new offer where it is gone", () => {
    const live = takeReconnectInput(code('offer', peer), null, peer, true, null);
    expect(live.kind === 'intent' && live.intent.type).toBe('accept-reconnect-offer');
    const lost = takeReconnectInput(code('offer', peer), null, peer, false, null);
    expect(lost.kind === 'intent' && lost.intent).toEqual({ type: 'make-reconnect-code' });
  });

  it("a first exchange's offer (it carries the safety-words commitment) is a new connection, even with this session's certificate", () => {
    const commitment = new Uint8Array(SAS_FIELD_LENGTH.offer).fill(7);
    for (const connected of [true, false]) {
      const fresh = code('offer', peer, { sas: commitment });
      expect(takeReconnectInput(fresh, null, peer, connected, null).kind).toBe('other');
      // The same offer without it is this session's: the commitment alone made the difference.
      expect(takeReconnectInput(code('offer', peer), null, peer, connected, null).kind).toBe('intent');
    }
  });

  it("with the session's key, only an offer tagged with it is this session's (the certificate is public)", () => {
    const key = new Uint8Array(32).fill(9);
    const tag = reconnectTag(key);
    if (tag === null) throw new Error('no tag');
    for (const connected of [true, false]) {
      const restart = takeReconnectInput(code('offer', peer, { sas: tag }), null, peer, connected, key);
      expect(restart.kind).toBe('intent');
      const resume = takeReconnectInput(
        code('offer', peer, { resume: true, sas: tag }),
        null,
        peer,
        connected,
        key,
      );
      expect(resume.kind === 'intent' && resume.intent).toMatchObject({ type: 'join', resume: true });
      // Untagged, or tagged with another session's key: a new connection, however same the certificate.
      expect(takeReconnectInput(code('offer', peer), null, peer, connected, key).kind).toBe('other');
      const other = reconnectTag(new Uint8Array(32).fill(8)) ?? tag;
      expect(takeReconnectInput(code('offer', peer, { sas: other }), null, peer, connected, key).kind).toBe(
        'other',
      );
    }
  });

  it("while the words are still being worked out, no offer is this session's yet, whatever it names", () => {
    // The key is coming (a moment after connecting): an offer made from the public certificate is not taken.
    for (const options of [{}, { resume: true }])
      expect(takeReconnectInput(code('offer', peer, options), null, peer, true, 'pending').kind).toBe(
        'other',
      );
  });

  it("someone else's code is not this session's, marked or not", () => {
    expect(takeReconnectInput(code('offer', stranger, { resume: true }), null, peer, false, null).kind).toBe(
      'other',
    );
    expect(takeReconnectInput(code('offer', stranger), null, peer, true, null).kind).toBe('other');
  });

  it('an answer with no reconnect offer of ours: the caller takes it where it waits for one, else it is refused', () => {
    const text = code('answer', answer, { offerSdp: peer });
    expect(takeReconnectInput(text, null, peer, false, null).kind).toBe('other');
    const refused = takeReconnectInput(text, null, peer, true, null);
    expect(refused.kind === 'error' && refused.error.kind).toBe('unexpected-type');
  });
});

describe('carriedOn', () => {
  it('is a lost session, or an exchange carrying one on; never one someone ended or a first exchange', () => {
    const chat: never[] = [];
    const yes: SessionState[] = [
      { kind: 'closed', reason: 'connection-lost', chat },
      { kind: 'gathering', role: 'offerer', chat },
      { kind: 'offer-ready', sdp: 'x', createdAt: 0, chat },
      { kind: 'answer-ready', sdp: 'x', createdAt: 0, chat },
      { kind: 'connecting', role: 'answerer', since: 0, chat },
    ];
    const no: SessionState[] = [
      { kind: 'idle' },
      { kind: 'closed', reason: 'local-hangup', chat },
      { kind: 'closed', reason: 'remote-hangup', chat },
      { kind: 'offer-ready', sdp: 'x', createdAt: 0 },
      { kind: 'gathering', role: 'answerer' },
      { kind: 'failed', role: 'offerer', reason: 'ice-failed', detail: '' },
    ];
    expect(yes.map(carriedOn)).toEqual(yes.map(() => true));
    expect(no.map(carriedOn)).toEqual(no.map(() => false));
  });
});
