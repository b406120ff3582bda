// The terminal's certificate: a real self-signed X.509 certificate, kept between runs (as the app keeps one per
// browser) so a device that verified this terminal recognises it; and every connection shows it.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { peerConnectionWith } from '../../../src/cli/adapter.ts';
import { makeCertificate, type PemCertificate, VALID_FOR_MS } from '../../../src/cli/certificate.ts';
import { configDir, keptCertificate, RENEW_BEFORE_MS } from '../../../src/cli/kept-certificate.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-12-03T10:00:00Z');
const fingerprintOf = (pem: PemCertificate) => new X509Certificate(pem.certificate).fingerprint256;

async function offerFingerprint(pem: PemCertificate): Promise<string | undefined> {
  const PC = peerConnectionWith(pem);
  const pc = new PC({});
  try {
    pc.createDataChannel('pigeon', { negotiated: true, id: 0 });
    await pc.setLocalDescription(await pc.createOffer());
    return /^a=fingerprint:sha-256 (\S+)/m.exec(pc.localDescription?.sdp ?? '')?.[1];
  } finally {
    pc.close();
  }
}

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pigeon-cert-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the terminal certificate', () => {
  it('is a self-signed ECDSA P-256 certificate that verifies, valid a year from now, with its own key', () => {
    const made = makeCertificate(NOW);
    const x509 = new X509Certificate(made.certificate);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(made.key))).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(Date.parse(x509.validFrom)).toBeLessThan(NOW);
    expect(Date.parse(x509.validTo)).toBe(NOW + VALID_FOR_MS);
    expect(createPublicKey(made.key).equals(x509.publicKey)).toBe(true);
    const other = new X509Certificate(makeCertificate(NOW).certificate);
    expect(other.serialNumber).not.toBe(x509.serialNumber);
    expect(other.fingerprint256).not.toBe(x509.fingerprint256);
  });

  it('is kept: the next run reads the same one, from files only this user can read', () => {
    const dir = freshDir();
    const first = keptCertificate(dir, NOW);
    expect(first.kept && first.made).toBe(true);
    const second = keptCertificate(dir, NOW + DAY_MS);
    expect(second.kept && !second.made).toBe(true);
    expect(fingerprintOf(second.pem)).toBe(fingerprintOf(first.pem));
    for (const f of ['certificate.pem', 'key.pem']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it('is made anew when it is about to end, or when the files are damaged or do not belong together', () => {
    const dir = freshDir();
    const first = keptCertificate(dir, NOW);
    const late = keptCertificate(dir, NOW + VALID_FOR_MS - RENEW_BEFORE_MS + 1);
    expect(late.kept && late.made).toBe(true);
    expect(fingerprintOf(late.pem)).not.toBe(fingerprintOf(first.pem));
    writeFileSync(join(dir, 'key.pem'), makeCertificate(NOW).key); // another certificate's key
    const mismatched = keptCertificate(dir, NOW);
    expect(mismatched.kept && mismatched.made).toBe(true);
    writeFileSync(join(dir, 'certificate.pem'), 'not a certificate');
    const mended = keptCertificate(dir, NOW);
    expect(mended.kept && mended.made).toBe(true);
    expect(readFileSync(join(dir, 'certificate.pem'), 'utf8')).toBe(mended.pem.certificate);
  });

  it('where it cannot be kept, the run still gets one of its own and is told why', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'pigeon'), 'a file where the folder would go'); // refused even to root
    const unkept = keptCertificate(join(dir, 'pigeon', 'inside'), NOW);
    expect(unkept).toMatchObject({ kept: false, why: expect.stringMatching(/ENOTDIR|EEXIST/) });
    expect(
      new X509Certificate(unkept.pem.certificate).checkPrivateKey(createPrivateKey(unkept.pem.key)),
    ).toBe(true);
  });

  it('lives in $PIGEON_HOME, else $XDG_CONFIG_HOME/pigeon, else ~/.config/pigeon', () => {
    expect(configDir({ PIGEON_HOME: '/p', XDG_CONFIG_HOME: '/x' })).toBe('/p');
    expect(configDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/pigeon');
    expect(configDir({})).toMatch(/\/\.config\/pigeon$/);
  });

  it('every node-datachannel connection shows it, its own fingerprint', async () => {
    const pem = makeCertificate();
    const own = fingerprintOf(pem);
    expect(await offerFingerprint(pem)).toBe(own);
    expect(await offerFingerprint(pem)).toBe(own);
  });
});
