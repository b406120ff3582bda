// The sender's chunk limit comes from the peer's SDP (RFC 8841).
import { describe, expect, it } from 'vitest';
import { peerMaxMessageSize } from '../../../src/app/files.ts';

describe('peerMaxMessageSize', () => {
  it('reads a=max-message-size; 0 means no limit; absent or no SDP means unknown', () => {
    expect(peerMaxMessageSize('v=0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n')).toBe(262144);
    expect(peerMaxMessageSize('a=max-message-size:0\r\n')).toBe(Number.MAX_SAFE_INTEGER);
    expect(peerMaxMessageSize('v=0\r\na=sctp-port:5000\r\n')).toBeUndefined();
    expect(peerMaxMessageSize(null)).toBeUndefined();
  });
});
