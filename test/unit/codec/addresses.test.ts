// Whether a code names the device's own addresses (codec/candidate.ts namesLocalAddresses), over the real
// fixtures: browsers hide host addresses behind mDNS names until a capture is allowed (the "mdns" captures),
// and show them after (the "rawip" ones, and Chromium's "media" one, made with the camera allowed).
import { describe, expect, it } from 'vitest';
import { namesLocalAddresses } from '../../../src/codec/candidate.ts';
import { encodeDescription } from '../../../src/codec/index.ts';
import { loadFixtures } from './fixtures.ts';

const base = loadFixtures().filter((f) => f.name.startsWith('base/'));
const host = (address: string) => `a=candidate:1 1 udp 2122252543 ${address} 5000 typ host`;
const srflx = (raddr: string) =>
  `a=candidate:2 1 udp 1686052607 203.0.113.7 5000 typ srflx raddr ${raddr} rport 5000`;

describe('a code that names local addresses', () => {
  it('mDNS captures do not; raw-IP captures and Chromium’s with the camera allowed do', () => {
    // Firefox kept its mDNS names in its media capture: its fake camera came with no permission grant
    // (MANIFEST.md), which is what makes a browser show the addresses.
    const raw = (name: string) => name.includes('rawip') || name.includes('chrome-chrome-media');
    const named = base.map((f) => [f.name, namesLocalAddresses(f.sdp)] as const);
    expect(named.length).toBeGreaterThanOrEqual(12);
    for (const [name, local] of named) expect(local, name).toBe(raw(name));
  });

  it('reads host addresses and the related address of a server-reflexive candidate, not a relay’s', () => {
    const sdp = (...lines: string[]) => ['v=0', ...lines, ''].join('\r\n');
    expect(namesLocalAddresses(sdp(host('9a03352e-b6c1-48ac-9c2e-b3848b070048.local')))).toBe(false);
    expect(namesLocalAddresses(sdp(host('192.168.1.20')))).toBe(true);
    expect(namesLocalAddresses(sdp(host('fd99::1')))).toBe(true);
    expect(namesLocalAddresses(sdp(srflx('0.0.0.0')))).toBe(false);
    expect(namesLocalAddresses(sdp(srflx('192.168.1.20')))).toBe(true);
    const relay = 'a=candidate:3 1 udp 41885439 198.51.100.9 5000 typ relay raddr 203.0.113.7 rport 5000';
    expect(namesLocalAddresses(sdp(relay))).toBe(false);
    expect(namesLocalAddresses(sdp('a=candidate:nonsense'))).toBe(false);
  });

  it('the code says so', () => {
    const raw = base.find((f) => f.name.includes('rawip') && f.type === 'offer');
    const mdns = base.find((f) => f.name.includes('mdns') && f.type === 'offer');
    if (raw === undefined || mdns === undefined) throw new Error('fixtures missing');
    const codeOf = (sdp: string) => encodeDescription({ type: 'offer', sdp });
    expect(codeOf(raw.sdp)).toMatchObject({ ok: true, value: { localAddresses: true } });
    expect(codeOf(mdns.sdp)).toMatchObject({ ok: true, value: { localAddresses: false } });
  });
});
