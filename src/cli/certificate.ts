// The terminal's DTLS certificate, made here. node-datachannel makes a new one for every connection unless it is
// given one (libdatachannel's `certificatePemFile`/`keyPemFile`, which take PEM text as well as a path); the app
// recognises a session's next connection, and a remembered device, by an unchanged fingerprint.
//
// Node makes keys but not X.509 certificates, so the certificate is written here: a self-signed ECDSA P-256
// certificate in DER, the few ASN.1 forms it needs and nothing else (a library for it, @peculiar/x509, brings 11
// packages and a Reflect polyfill into the terminal's install). DTLS peers check only its fingerprint against
// the SDP, never its name or chain, so a minimal body in a v3 certificate is enough.

import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Valid from a day back (clocks differ) for a year, as long as a browser keeps the app's own (app/certificate.ts). */
const VALID_BEFORE_MS = DAY_MS;
export const VALID_FOR_MS = 365 * DAY_MS;
const SERIAL_BYTES = 16;
const PEM_LINE_CHARS = 64;
const COMMON_NAME = 'pigeon';

const TAG_INTEGER = 0x02;
const TAG_BIT_STRING = 0x03;
const TAG_OID = 0x06;
const TAG_UTF8_STRING = 0x0c;
const TAG_UTC_TIME = 0x17;
const TAG_SEQUENCE = 0x30;
const TAG_SET = 0x31;
const TAG_VERSION = 0xa0; // [0] EXPLICIT
const VERSION_3 = 2;

/** 1.2.840.10045.4.3.2 ecdsa-with-SHA256 and 2.5.4.3 commonName, already in DER. */
const OID_ECDSA_SHA256 = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const OID_COMMON_NAME = [0x55, 0x04, 0x03];

/** A DER length: short form below 128, else the count of length bytes, then the length big-endian. */
function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

function der(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.from([tag, ...length(body.length)]), body]);
}

/** A non-negative INTEGER: a leading zero keeps a set top bit from reading as negative. */
function integer(bytes: Uint8Array): Uint8Array {
  const first = bytes[0] ?? 0;
  return der(TAG_INTEGER, first >= 0x80 ? Buffer.concat([Uint8Array.of(0), bytes]) : bytes);
}

/** UTCTime, YYMMDDHHMMSSZ (years 1950–2049). */
function utcTime(ms: number): Uint8Array {
  const iso = new Date(ms).toISOString(); // 2026-12-02T10:10:18.000Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(TAG_UTC_TIME, Buffer.from(text, 'ascii'));
}

const name = (cn: string): Uint8Array =>
  der(
    TAG_SEQUENCE,
    der(
      TAG_SET,
      der(
        TAG_SEQUENCE,
        der(TAG_OID, Uint8Array.from(OID_COMMON_NAME)),
        der(TAG_UTF8_STRING, Buffer.from(cn)),
      ),
    ),
  );

function pem(label: string, body: Uint8Array): string {
  const text = Buffer.from(body).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += PEM_LINE_CHARS) lines.push(text.slice(i, i + PEM_LINE_CHARS));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export interface PemCertificate {
  /** The certificate, PEM. */
  readonly certificate: string;
  /** Its private key, PKCS #8 PEM. */
  readonly key: string;
}

/** A new self-signed ECDSA P-256 certificate (the kind browsers make for WebRTC). */
export function makeCertificate(now = Date.now()): PemCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = der(TAG_SEQUENCE, der(TAG_OID, Uint8Array.from(OID_ECDSA_SHA256)));
  const serial = randomBytes(SERIAL_BYTES);
  // Positive, and its first byte never zero: DER integers are minimal, and BoringSSL (Chromium) refuses a
  // certificate whose serial is not (a leading zero byte before one below 0x80).
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const subject = name(COMMON_NAME);
  const tbs = der(
    TAG_SEQUENCE,
    der(TAG_VERSION, integer(Uint8Array.of(VERSION_3))),
    integer(serial),
    algorithm,
    subject, // issuer: self-signed
    der(TAG_SEQUENCE, utcTime(now - VALID_BEFORE_MS), utcTime(now + VALID_FOR_MS)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const certificate = der(TAG_SEQUENCE, tbs, algorithm, der(TAG_BIT_STRING, Uint8Array.of(0), signature));
  return {
    certificate: pem('CERTIFICATE', certificate),
    key: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
  };
}
