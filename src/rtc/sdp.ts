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

const FIRST_SETUP = /^a=setup:(\S+?)\r?$/m;
const ANSWER_ROLE = /^a=setup:(?:active|passive)(?=\r?$)/gm;

/** This side's DTLS role in the session so far, from its current local and remote descriptions. */
export function dtlsRole(
  localSdp: string | undefined,
  remoteSdp: string | undefined,
): 'active' | 'passive' | null {
  const local = FIRST_SETUP.exec(localSdp ?? '')?.[1];
  if (local === 'active' || local === 'passive') return local;
  if (local !== 'actpass') return null;
  // We offered actpass: the peer's answer chose, and we are the other role.
  const remote = FIRST_SETUP.exec(remoteSdp ?? '')?.[1];
  return remote === 'active' ? 'passive' : remote === 'passive' ? 'active' : null;
}

/**
 * An answer to a re-offer must keep the DTLS role the session has. Firefox answers every actpass offer
 * `active`, even when it is the passive side (the first answer was made passive, above), and Chromium then
 * refuses the answer ("Failed to set SSL role"). Applied BEFORE setLocalDescription, like preferPassiveAnswer.
 */
export function keepDtlsRole(answerSdp: string, offerSdp: string, role: 'active' | 'passive' | null): string {
  const offerRoles = Array.from(offerSdp.matchAll(SETUP_LINE), (match) => match[1]);
  if (role === null || offerRoles.length === 0 || offerRoles.some((r) => r !== 'actpass')) return answerSdp;
  return answerSdp.replace(ANSWER_ROLE, `a=setup:${role}`);
}

const ACTPASS = /^a=setup:actpass(?=\r?$)/gm;

/**
 * A re-offer arrives `actpass`; the session's roles are fixed already. Before setRemoteDescription, write the
 * offerer's actual role into it (the opposite of ours), so the browser answers with ours by itself. Munging the
 * answer instead is not enough: Firefox, the passive side after a passive first answer, accepts an answer made
 * passive by hand but then never carries data on the restarted transport (measured: ICE "connected", 0 bytes).
 */
export function pinOfferRole(offerSdp: string, ourRole: 'active' | 'passive' | null): string {
  if (ourRole === null) return offerSdp;
  return offerSdp.replace(ACTPASS, `a=setup:${ourRole === 'passive' ? 'active' : 'passive'}`);
}
