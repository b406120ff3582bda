// The DTLS roles are chosen by editing REMOTE offers only: JSEP forbids editing a description between
// createOffer/createAnswer and setLocalDescription, and Chromium's SDP munging detector classifies a changed setup
// role in a local description (it can refuse it by a remote switch). Every local description is the browser's own.

const FIRST_SETUP = /^a=setup:(\S+?)\r?$/m;

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

const ACTPASS = /^a=setup:actpass(?=\r?$)/gm;

/**
 * An offer arrives `actpass`. Before setRemoteDescription, write the offerer's role into it (the opposite of the
 * one we want), so the browser's own answer takes ours by itself.
 * - First exchange (and a new connection's offer): we answer `passive`, so the offer is pinned `active`. A
 *   passive answerer waits for the offerer's ClientHello, which arrives whenever the person carries the answer
 *   back; an active one starts DTLS at once and gives up first (~240 s in Chromium, ~5 s Firefox↔Firefox mDNS).
 * - Re-offers: the session's roles are fixed already; Firefox would otherwise answer every actpass offer
 *   `active`, even as the passive side, and Chromium then refuses that answer ("Failed to set SSL role").
 */
export function pinOfferRole(offerSdp: string, ourRole: 'active' | 'passive' | null): string {
  if (ourRole === null) return offerSdp;
  return offerSdp.replace(ACTPASS, `a=setup:${ourRole === 'passive' ? 'active' : 'passive'}`);
}

const FINGERPRINT = /^a=fingerprint:(\S+) +([0-9A-Fa-f:]+)\s*$/gm;

/** A description's DTLS fingerprints (session or media level), written one way: 'sha-256 AB:CD:…', sorted. */
export function fingerprintsOf(sdp: string): readonly string[] {
  const found = new Set<string>();
  for (const [, algorithm, value] of sdp.matchAll(FINGERPRINT))
    found.add(`${algorithm?.toLowerCase()} ${value?.toUpperCase()}`);
  return [...found].sort();
}

/**
 * Whether a new remote description names another certificate than the current one: the peer of this session
 * would change (only the first exchange, checked by the person, may set it). Unknown before there is one.
 */
export function fingerprintChanged(current: string | undefined, next: string): boolean {
  if (current === undefined || current === '') return false;
  const before = fingerprintsOf(current);
  if (before.length === 0) return false;
  const after = fingerprintsOf(next);
  return after.length !== before.length || after.some((f, i) => f !== before[i]);
}
