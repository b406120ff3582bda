// The terminal keeps one certificate between runs, as the app keeps one per browser: a device that verified
// this terminal's safety words recognises it next time instead of warning that someone else took its name.
// Kept as two PEM files readable by this user only; written whole and renamed into place, so a run that
// starts meanwhile reads the old pair or the new one, never half of one.

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate, type PemCertificate } from './certificate.ts';

const CERTIFICATE_FILE = 'certificate.pem';
const KEY_FILE = 'key.pem';
/** A certificate this close to its end is replaced (a session must not outlive it). */
export const RENEW_BEFORE_MS = 2 * 24 * 60 * 60 * 1000;
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/** Where the certificate is kept: $PIGEON_HOME, else $XDG_CONFIG_HOME/pigeon, else ~/.config/pigeon. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.PIGEON_HOME) return env.PIGEON_HOME;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pigeon');
}

export type KeptCertificate =
  | { readonly kept: true; readonly pem: PemCertificate; readonly made: boolean }
  /** Could not be read or written there: this run uses a certificate of its own. */
  | { readonly kept: false; readonly pem: PemCertificate; readonly why: string };

function read(dir: string, now: number): PemCertificate | null {
  try {
    const certificate = readFileSync(join(dir, CERTIFICATE_FILE), 'utf8');
    const key = readFileSync(join(dir, KEY_FILE), 'utf8');
    const x509 = new X509Certificate(certificate);
    if (Date.parse(x509.validTo) - now < RENEW_BEFORE_MS) return null;
    // A pair read while another run replaced it may not belong together.
    if (!x509.checkPrivateKey(createPrivateKey(key))) return null;
    return { certificate, key };
  } catch {
    return null; // missing or unreadable: made anew
  }
}

function writePrivate(path: string, text: string): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, text, { mode: PRIVATE_FILE });
  renameSync(partial, path);
}

/** The kept certificate, made and kept first if there is none (or it is about to end). */
export function keptCertificate(dir: string, now = Date.now()): KeptCertificate {
  const found = read(dir, now);
  if (found !== null) return { kept: true, pem: found, made: false };
  const pem = makeCertificate(now);
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    // The key first: a certificate file is only ever beside its own key.
    writePrivate(join(dir, KEY_FILE), pem.key);
    writePrivate(join(dir, CERTIFICATE_FILE), pem.certificate);
    return { kept: true, pem, made: true };
  } catch (error) {
    return { kept: false, pem, why: error instanceof Error ? error.message : String(error) };
  }
}
