// Part of the runner room: the session's one DTLS certificate, made once and given to every connection of the
// session, so a new connection that carries it on (after the old one is gone) shows the same fingerprint —
// which is how the peer recognises its code, and what the safety words are bound to. The app may give its
// device's certificate (kept across sessions, so a verified peer recognises this device); src/rtc never stores one.

import type { PeerConnectionConstructor } from '../base/peer.ts';

const CERTIFICATE_KEYGEN: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export interface SessionCertificate {
  /** Resolves once the certificate is made, or known not to be (then each connection makes its own). */
  ready(): Promise<void>;
  /** False until `ready` has settled. */
  settled(): boolean;
  /** The configuration with the certificate in it (unchanged where there is none). */
  with(config: RTCConfiguration): RTCConfiguration;
}

/** `device`: the app's certificate (RunnerDeps.certificate); none, null or a failure: one for this session. */
export function sessionCertificate(
  Native: PeerConnectionConstructor,
  device?: () => Promise<RTCCertificate | null>,
): SessionCertificate {
  /** undefined until made, null where neither the app nor the browser gives one. */
  let certificate: RTCCertificate | null | undefined =
    Native.generateCertificate === undefined && device === undefined ? null : undefined;
  let making: Promise<void> | undefined;
  const own = () => Native.generateCertificate?.(CERTIFICATE_KEYGEN) ?? Promise.resolve(null);
  const toUse = () => (device === undefined ? own() : device().then((c) => c ?? own(), own));
  return {
    ready() {
      making ??= toUse().then(
        (made) => {
          certificate = made;
        },
        () => {
          certificate = null; // the connection makes its own: only a carried-on session goes unrecognised
        },
      );
      return making;
    },
    settled: () => certificate !== undefined,
    with: (config) => (certificate ? { ...config, certificates: [certificate] } : config),
  };
}
