// This device's one certificate: made once and kept; made again when missing (storage cleared) or close to its
// end; shared with another tab that stored one first; still given (for this page) when storage fails.
import { describe, expect, it, vi } from 'vitest';
import {
  CERTIFICATE_KEY,
  type CERTIFICATE_KEYGEN,
  CERTIFICATE_LIFETIME_MS,
  CERTIFICATE_RENEW_MS,
  deviceCertificate,
} from '../../../src/app/certificate.ts';
import { memoryKeyValue } from './memory-kv.ts';

const NOW = 1_700_000_000_000;
const now = () => NOW;
const cert = (expires: number, id = 'c') => ({ expires, id }) as unknown as RTCCertificate;

function generator() {
  return vi.fn(async (keygen: typeof CERTIFICATE_KEYGEN) => cert(NOW + keygen.expires, 'new'));
}

describe('deviceCertificate', () => {
  it('none stored: one is made (ECDSA P-256, asking for a year) and stored; next time it is reused', async () => {
    const kv = memoryKeyValue();
    const generate = generator();
    const first = await deviceCertificate(kv, generate, now);
    expect(generate).toHaveBeenCalledWith({
      name: 'ECDSA',
      namedCurve: 'P-256',
      expires: CERTIFICATE_LIFETIME_MS,
    });
    expect(kv.map.get(CERTIFICATE_KEY)).toBe(first);
    expect(await deviceCertificate(kv, generate, now)).toBe(first);
    expect(generate).toHaveBeenCalledTimes(1);
  });

  it('one that expires within the renewal margin (or has) is replaced', async () => {
    for (const expires of [NOW + CERTIFICATE_RENEW_MS, NOW - 1]) {
      const kv = memoryKeyValue({ [CERTIFICATE_KEY]: cert(expires, 'old') });
      const generate = generator();
      const got = await deviceCertificate(kv, generate, now);
      expect(got).toMatchObject({ id: 'new' });
      expect(kv.map.get(CERTIFICATE_KEY)).toBe(got);
    }
    const kv = memoryKeyValue({ [CERTIFICATE_KEY]: cert(NOW + CERTIFICATE_RENEW_MS + 1, 'old') });
    expect(await deviceCertificate(kv, generator(), now)).toMatchObject({ id: 'old' });
  });

  it('something else under the key is not a certificate: a new one replaces it', async () => {
    const kv = memoryKeyValue({ [CERTIFICATE_KEY]: 'garbage' });
    expect(await deviceCertificate(kv, generator(), now)).toMatchObject({ id: 'new' });
  });

  it('another tab that stored one meanwhile wins, so both tabs show one fingerprint', async () => {
    const kv = memoryKeyValue();
    const theirs = cert(NOW + CERTIFICATE_LIFETIME_MS, 'theirs');
    const generate = vi.fn(async () => {
      kv.map.set(CERTIFICATE_KEY, theirs); // stored by the other tab while ours was being made
      return cert(NOW + CERTIFICATE_LIFETIME_MS, 'ours');
    });
    expect(await deviceCertificate(kv, generate, now)).toBe(theirs);
    expect(kv.map.get(CERTIFICATE_KEY)).toBe(theirs);
  });

  it('storage that fails still gives a certificate, for this page only', async () => {
    const kv = memoryKeyValue();
    kv.failing = true;
    expect(await deviceCertificate(kv, generator(), now)).toMatchObject({ id: 'new' });
  });

  it('a browser that cannot make one rejects: the caller (the runner) falls back', async () => {
    const generate = vi.fn(async () => Promise.reject(new Error('NotSupportedError')));
    await expect(deviceCertificate(memoryKeyValue(), generate, now)).rejects.toThrow('NotSupportedError');
  });
});
