// The one SDP edit the runner makes: the answerer offers to be the DTLS server.

const SETUP_LINE = /^a=setup:(\S+?)\r?$/gm;
const ACTIVE_SETUP = /^a=setup:active(?=\r?$)/gm;

/**
 * Rewrites the answer's `a=setup:active` to `a=setup:passive`, to be applied BEFORE setLocalDescription.
 * Why: an active answerer starts the DTLS handshake at once and gives up before the person has carried the
 * answer back (measured: ~240 s in Chromium, ~5 s Firefox↔Firefox with mDNS); a passive one simply waits
 * for the offerer's ClientHello, which arrives whenever the answer is applied.
 * Only legal when the offer left the choice open (`actpass` everywhere); otherwise the answer is unchanged.
 */
export function preferPassiveAnswer(answerSdp: string, offerSdp: string): string {
  const offerRoles = Array.from(offerSdp.matchAll(SETUP_LINE), (match) => match[1]);
  if (offerRoles.length === 0 || offerRoles.some((role) => role !== 'actpass')) return answerSdp;
  return answerSdp.replace(ACTIVE_SETUP, 'a=setup:passive');
}
