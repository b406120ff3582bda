// node-datachannel, fitted to what the app expects of a peer. Its RTCPeerConnection polyfill is injected where
// the app injects the browser's constructor; the two ways it differs from a browser are mended here, not in the
// session or the codec.

import { RTCPeerConnection as NodePeerConnection } from 'node-datachannel/polyfill';
import type { PeerConnectionConstructor } from '../rtc/index.ts';
import type { PemCertificate } from './certificate.ts';

const ACTPASS = /^a=setup:actpass(?=\r?$)/gm;
/**
 * Lines node-datachannel writes that a data-channel bootstrap does not need and the compact form refuses
 * (`a=ice-options:ice2,trickle`): without them the code is the short compact one instead of the fallback.
 */
const NOT_NEEDED = /^a=ice-options:.*(?:\r?\n|$)/gm;

/**
 * The polyfill's constructor with one change: node-datachannel writes its SDP itself, so the runner's rewrite of
 * the answer to `a=setup:passive` is lost. Answering, it is told the offerer is active instead, so its own answer
 * is passive (it waits for the offerer's DTLS hello, however late the answer is carried back).
 */
class TerminalPeerConnection extends NodePeerConnection {
  override setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (description.sdp === undefined) return super.setRemoteDescription(description);
    const sdp = candidatesLast(description.sdp);
    return super.setRemoteDescription({
      ...description,
      sdp: description.type === 'offer' ? sdp.replace(ACTPASS, 'a=setup:active') : sdp,
    });
  }
}

const CANDIDATE_LINE = /^a=(?:candidate:|end-of-candidates)/;

/**
 * libdatachannel refuses a candidate that comes before the section's ICE credentials once its ICE transport
 * exists (applying an answer: "Got a remote candidate without ICE transport"); the codec rebuilds candidates
 * first, which browsers take. Candidates (one data section) go to the end, in their order.
 */
export function candidatesLast(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/).filter((l) => l !== '');
  const candidates = lines.filter((l) => CANDIDATE_LINE.test(l));
  const rest = lines.filter((l) => !CANDIDATE_LINE.test(l));
  return [...rest, ...candidates, ''].join(eol);
}

export const PeerConnection = TerminalPeerConnection as unknown as PeerConnectionConstructor;

/** The same, every connection showing `pem` (the kept certificate), as a browser session's connections do. */
export function peerConnectionWith(pem: PemCertificate): PeerConnectionConstructor {
  class WithCertificate extends TerminalPeerConnection {
    constructor(config: RTCConfiguration = {}) {
      // libdatachannel reads PEM text given in place of a file name.
      super({ ...config, certificatePemFile: pem.certificate, keyPemFile: pem.key } as RTCConfiguration);
    }
  }
  return WithCertificate as unknown as PeerConnectionConstructor;
}

/** Our own description as the codec should carry it: without what the peer does not need. */
export const forCode = (sdp: string): string => sdp.replace(NOT_NEEDED, '');
