// Recognition by certificate, never by name: a remembered fingerprint is known whatever the peer calls itself;
// a remembered name on another certificate is a warning.
import { describe, expect, it } from 'vitest';
import { peerFingerprint, type RememberedDevice, recognise } from '../../../src/app/recognise.ts';

const FP_A = 'sha-256 0A:1B:2C';
const PIXEL: RememberedDevice = {
  fingerprint: FP_A,
  name: 'Anna’s phone',
  helloName: 'Pixel 8',
  verifiedAt: 1,
};
const LAPTOP: RememberedDevice = {
  fingerprint: 'sha-256 FF',
  name: 'Laptop',
  helloName: 'Laptop',
  verifiedAt: 2,
};
const DEVICES = [PIXEL, LAPTOP];

describe('recognise', () => {
  it('the same certificate is known, whatever name its hello carries (or none)', () => {
    expect(recognise(DEVICES, 'Pixel 8', FP_A)).toEqual({ kind: 'known', device: PIXEL });
    expect(recognise(DEVICES, 'Something else', FP_A)).toEqual({ kind: 'known', device: PIXEL });
    expect(recognise(DEVICES, undefined, FP_A)).toEqual({ kind: 'known', device: PIXEL });
  });

  it('a remembered name (given or its own, case and spacing aside) on another certificate warns', () => {
    for (const name of [
      'Laptop',
      'laptop',
      '  LAPTOP ',
      'Pixel 8',
      'pixel  8',
      'Anna’s phone',
      'Ｌａｐｔｏｐ',
    ])
      expect(recognise(DEVICES, name, 'sha-256 99'), name).toEqual({ kind: 'impostor', name });
  });

  it('another name and another certificate is simply unknown; so is a peer with no fingerprint', () => {
    expect(recognise(DEVICES, 'Pixel 9', 'sha-256 99')).toEqual({ kind: 'unknown' });
    expect(recognise(DEVICES, undefined, 'sha-256 99')).toEqual({ kind: 'unknown' });
    expect(recognise(DEVICES, '', 'sha-256 99')).toEqual({ kind: 'unknown' });
    expect(recognise(DEVICES, 'Laptop', null)).toEqual({ kind: 'unknown' });
    expect(recognise([], 'Laptop', FP_A)).toEqual({ kind: 'unknown' });
  });
});

describe('peerFingerprint', () => {
  it('is the certificate the safety words were derived from; without them, the applied description’s', () => {
    const sdp =
      'v=0\r\na=fingerprint:SHA-256 0a:1b:2c\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n';
    expect(peerFingerprint({ remote: 'sha-256 EE:EE' }, sdp)).toBe('sha-256 EE:EE');
    expect(peerFingerprint(null, sdp)).toBe(FP_A);
    const twice = `${sdp}a=fingerprint:sha-256 0A:1B:2C\r\n`;
    expect(peerFingerprint(null, twice)).toBe(FP_A);
    expect(peerFingerprint(null, 'v=0\r\n')).toBeNull();
    expect(peerFingerprint(null, null)).toBeNull();
  });
});
