// Recognising the peer as a device this one has verified before. The key is the peer's DTLS certificate, as
// the fingerprint in the remote description this device applied (the one DTLS then checked); a name is only
// what the peer says about itself, so a remembered name on another certificate is a warning, never a match.

import { certificateOf } from '../rtc/index.ts';

export interface RememberedDevice {
  /** The peer's certificate fingerprints as applied, 'sha-256 AB:CD:…', joined by ' ' when several. */
  readonly fingerprint: string;
  /** What this device calls it: its hello name when verified, until the person renames it. */
  readonly name: string;
  /** The name the peer gave itself when it was verified (a renamed device is still told apart by it). */
  readonly helloName: string;
  /** When the person confirmed the safety words (ms since the epoch). */
  readonly verifiedAt: number;
}

export type Recognition =
  /** The same certificate as a device verified before. */
  | { readonly kind: 'known'; readonly device: RememberedDevice }
  /** Calls itself what a remembered device was called, with another certificate: maybe someone in between. */
  | { readonly kind: 'impostor'; readonly name: string }
  | { readonly kind: 'unknown' };

const UNKNOWN: Recognition = { kind: 'unknown' };

/**
 * The peer's certificate: the one the session's safety words were derived from, else (a code without the
 * field) the remote description's as applied; both written as base/sas.ts certificateOf writes them.
 */
export function peerFingerprint(
  fingerprints: { readonly remote: string } | null,
  remoteSdp: string | null | undefined,
): string | null {
  if (fingerprints !== null && fingerprints.remote !== '') return fingerprints.remote;
  return remoteSdp === null || remoteSdp === undefined ? null : certificateOf(remoteSdp);
}

/** Names compared as a person reads them: compatibility forms, case and spacing folded. */
const fold = (name: string): string => name.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();

export function recognise(
  devices: readonly RememberedDevice[],
  name: string | undefined,
  fingerprint: string | null,
): Recognition {
  if (fingerprint === null) return UNKNOWN;
  const known = devices.find((d) => d.fingerprint === fingerprint);
  if (known !== undefined) return { kind: 'known', device: known };
  if (name === undefined) return UNKNOWN;
  const said = fold(name);
  if (said === '') return UNKNOWN;
  const taken = devices.some((d) => fold(d.name) === said || fold(d.helloName) === said);
  return taken ? { kind: 'impostor', name } : UNKNOWN;
}
