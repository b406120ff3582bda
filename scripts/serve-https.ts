// `npm run serve:lan`: serves the production build over HTTPS on the local network, so phones can open it
// (camera and service worker need a secure context). Makes a self-signed certificate with openssl for this
// machine's addresses, prints each URL and a QR code of the first in the terminal.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import QRCode from 'qrcode';
import { preview } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');
const CERT_DIR = resolve(ROOT, '.tmp/cert');
const PORT = Number(process.env.PORT ?? 8443);
const CERT_DAYS = 30;

const addresses = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a && a.family === 'IPv4' && !a.internal)
  .map((a) => a?.address ?? '');

function certificate(): { key: Buffer; cert: Buffer } {
  mkdirSync(CERT_DIR, { recursive: true });
  const key = resolve(CERT_DIR, 'key.pem');
  const cert = resolve(CERT_DIR, 'cert.pem');
  const san = ['DNS:localhost', 'IP:127.0.0.1', ...addresses.map((a) => `IP:${a}`)].join(',');
  if (
    !existsSync(cert) ||
    !readFileSync(resolve(CERT_DIR, 'cert.pem'), 'utf8').length ||
    process.env.NEW_CERT
  ) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        String(CERT_DAYS),
        '-subj',
        '/CN=Pigeon local',
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

if (!existsSync(resolve(ROOT, 'dist/index.html')))
  execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
const server = await preview({
  root: ROOT,
  preview: { host: '0.0.0.0', port: PORT, strictPort: true, https: certificate() },
});
const urls = addresses.map((a) => `https://${a}:${PORT}/`);
console.log('Pigeon is served over HTTPS (self-signed: accept the warning once on each phone):');
for (const u of [`https://localhost:${PORT}/`, ...urls]) console.log(`  ${u}`);
if (urls[0]) console.log(await QRCode.toString(urls[0], { type: 'terminal', small: true }));
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
