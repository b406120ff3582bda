// The node-datachannel fittings: what is dropped before encoding, and candidates moved after the credentials.
import { describe, expect, it } from 'vitest';
import { candidatesLast, forCode } from '../../../src/cli/adapter.ts';
import { decodeInput, encodeDescription } from '../../../src/codec/index.ts';

// As node-datachannel 0.33.4 wrote it here (addresses from the test namespace).
const NODE_OFFER = [
  'v=0',
  'o=rtc 3736688153 0 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic:WMS *',
  'a=ice-options:ice2,trickle',
  'a=fingerprint:sha-256 C5:8B:9D:58:7A:7F:F3:90:01:3A:6A:D4:94:D3:1C:63:DD:6B:CC:BE:6E:8F:FB:8D:2D:A4:B5:C0:D4:61:56:2E',
  'm=application 47816 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 192.0.2.2',
  'a=mid:0',
  'a=sendrecv',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  'a=setup:actpass',
  'a=ice-ufrag:J1l3',
  'a=ice-pwd:pH3qO+Y+hYrJRixVebOuIT',
  'a=candidate:2 1 UDP 2116026111 fd00::2 47816 typ host',
  'a=candidate:1 1 UDP 2114977791 192.0.2.2 47816 typ host',
  'a=end-of-candidates',
  '',
].join('\r\n');

describe('node-datachannel descriptions in codes', () => {
  it('as written, the compact form refuses it (ice-options ice2); without that line it is compact', () => {
    const raw = encodeDescription({ type: 'offer', sdp: NODE_OFFER });
    expect(raw.ok && raw.value.form).toBe('deflate');
    const clean = encodeDescription({ type: 'offer', sdp: forCode(NODE_OFFER) });
    expect(clean.ok && clean.value.form).toBe('compact');
    expect(forCode(NODE_OFFER)).not.toContain('ice-options');
  });

  it('a rebuilt description gets its candidates after the ICE credentials, in order, nothing lost', () => {
    const code = encodeDescription({ type: 'offer', sdp: forCode(NODE_OFFER) });
    if (!code.ok) throw new Error('no code');
    const rebuilt = decodeInput(code.value.text);
    if (!rebuilt.ok) throw new Error('no decode');
    const moved = candidatesLast(rebuilt.value.sdp);
    const lines = moved.split('\r\n');
    const firstCandidate = lines.findIndex((l) => l.startsWith('a=candidate:'));
    expect(firstCandidate).toBeGreaterThan(lines.findIndex((l) => l.startsWith('a=ice-pwd:')));
    expect(lines.at(-2)).toBe('a=end-of-candidates');
    expect([...lines].sort()).toEqual([...rebuilt.value.sdp.split('\r\n')].sort());
    expect(moved.endsWith('\r\n')).toBe(true);
  });
});
