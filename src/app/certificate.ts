// This device's one DTLS certificate, kept (IndexedDB) so a peer that verified it recognises it next time.
// RTCCertificate is structured-cloneable: it is stored as it is, private key inside, never exported.
// Limits on `expires`: the spec caps it at 365 days ("browsers may restrict further"); libwebrtc clamps it to a
// year. Measured (test/e2e/remember.test.ts), Chromium and Firefox ESR alike: 30 days by default, 365 when
// asked for 365, and 400 asked is clamped to 365 (no error). What a browser gave is read back from `expires`.

import type { KeyValue } from './remembered.ts';

export const CERTIFICATE_KEY = 'certificate.v1';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Asked for: the longest the spec allows. */
export const CERTIFICATE_LIFETIME_MS = 365 * DAY_MS;
/**
 * A certificate this close to its end is replaced: a session lasts far less, and every connection of a session
 * (moves, new connections that carry it on) must still be able to use it.
 */
export const CERTIFICATE_RENEW_MS = 2 * DAY_MS;

export const CERTIFICATE_KEYGEN = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  expires: CERTIFICATE_LIFETIME_MS,
} as const;

export type GenerateCertificate = (keygen: typeof CERTIFICATE_KEYGEN) => Promise<RTCCertificate>;

/** A stored value is a certificate this device can still use for a while. */
export function usableCertificate(value: unknown, now: number): value is RTCCertificate {
  if (typeof value !== 'object' || value === null) return false;
  // In a browser the real class (a plain object with `expires` is not a certificate); node tests have none.
  const Native = (globalThis as { RTCCertificate?: abstract new () => unknown }).RTCCertificate;
  if (Native !== undefined && !(value instanceof Native)) return false;
  const { expires } = value as { expires?: unknown };
  return typeof expires === 'number' && expires - now > CERTIFICATE_RENEW_MS;
}

/**
 * The stored certificate, or a new one when there is none (first use, storage cleared: Safari drops it after
 * a week of no use) or it is about to expire. A new one is written only where no usable one appeared
 * meanwhile (another tab), and the one stored is the one used, so tabs agree. Storage that fails leaves the
 * new certificate to this page: the peer then sees a device it does not know.
 */
export async function deviceCertificate(
  kv: KeyValue,
  generate: GenerateCertificate,
  now: () => number = Date.now,
): Promise<RTCCertificate> {
  const stored = await kv.get(CERTIFICATE_KEY).catch(() => undefined);
  if (usableCertificate(stored, now())) return stored;
  const made = await generate(CERTIFICATE_KEYGEN);
  try {
    await kv.update(CERTIFICATE_KEY, (old) => (usableCertificate(old, now()) ? old : made));
    const kept = await kv.get(CERTIFICATE_KEY);
    return usableCertificate(kept, now()) ? kept : made;
  } catch {
    return made;
  }
}
