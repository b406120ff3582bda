// `npm run -s code -- stats PATH...`: how small the codes are, measured on real SDP files.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import LZString from 'lz-string';
import QRCode from 'qrcode';
import { type Bootstrap, toBootstrap } from '../src/codec/compact.ts';
import { compressDeflate, compressLz } from '../src/codec/fallback.ts';
import { SAS_FIELD_LENGTH } from '../src/codec/frame.ts';
import { bindingFor, decodeInput, encodeDescription } from '../src/codec/index.ts';
import type { SignalType } from '../src/codec/types.ts';
import { significant } from './sdp-fields.ts';

const LEVEL = 'M';

function sdpFiles(path: string): string[] {
  if (statSync(path).isDirectory())
    return readdirSync(path)
      .sort()
      .flatMap((n) => sdpFiles(join(path, n)));
  return path.endsWith('.sdp') ? [path] : [];
}

export function qrVersion(segments: string | QRCode.QRCodeSegment[]): number {
  try {
    return QRCode.create(segments, { errorCorrectionLevel: LEVEL }).version;
  } catch {
    return Number.POSITIVE_INFINITY; // over version 40
  }
}

/** Information that no encoding can drop: credentials at their alphabet's density, certificate hash, addresses. */
export function irreducibleBytes(b: Bootstrap): number {
  const creds = b.ufrag + b.pwd;
  const bits = /^[0-9a-f]+$/.test(creds) ? 4 : 6;
  const seen = new Set<string>();
  let addr = 0;
  for (const c of b.candidates) {
    const key = `${c.address.kind}:${c.address.bytes.join('.')}`;
    if (!seen.has(key)) addr += c.address.bytes.length;
    seen.add(key);
    if (c.transport !== 'tcp-active') addr += 2;
    if (c.related) addr += c.related.address.bytes.length + 2;
  }
  return Math.ceil((creds.length * bits) / 8) + b.fingerprint.bytes.length + addr;
}

const versionText = (v: number) => (Number.isFinite(v) ? String(v) : '>40');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function statsCommand(paths: string[]): number {
  const header = [
    'file',
    'raw',
    'lz',
    'ours',
    'bytes',
    'irred',
    'over',
    'qr-raw',
    'qr-lz',
    'qr-ours',
    'form',
  ];
  const rows: string[][] = [header];
  let failures = 0;
  let worstRatio = Number.POSITIVE_INFINITY;
  let worstOver = 0;
  for (const file of paths.flatMap(sdpFiles)) {
    const sdp = readFileSync(file, 'utf8');
    const type: SignalType = /answer/.test(basename(file)) ? 'answer' : 'offer';
    // Answers are bound to their offer; files without a sibling offer get a stand-in binding.
    let offerSdp = sdp;
    try {
      offerSdp = readFileSync(file.replace(/answer(?=[^/]*$)/, 'offer'), 'utf8');
    } catch {}
    // Every app code carries the safety-words field (its value does not change the length).
    const sasLength = SAS_FIELD_LENGTH[type];
    const code = encodeDescription({ type, sdp }, { offerSdp, sas: new Uint8Array(sasLength) });
    const lz = LZString.compressToEncodedURIComponent(sdp);
    if (!code.ok || !bindingFor(offerSdp)) {
      failures++;
      rows.push([basename(file), String(sdp.length), String(lz.length), 'ENCODE FAILED']);
      continue;
    }
    const { text, qr, form, bytes } = code.value;
    const back = [text, qr].map((t) => decodeInput(t, { expect: type, offerSdp }));
    const ok = back.every((r) => r.ok && same(significant(r.value.sdp), significant(sdp)));
    if (!ok) failures++;
    const b = toBootstrap(type, sdp);
    const irreducible =
      form === 'compact' && b.ok ? irreducibleBytes(b.value) + (code.value.sas ? sasLength : 0) : null;
    const over = irreducible === null ? null : bytes.length - irreducible;
    if (form === 'compact') {
      worstRatio = Math.min(worstRatio, lz.length / text.length);
      worstOver = Math.max(worstOver, over ?? 0);
    }
    rows.push([
      basename(file) + (ok ? '' : ' ROUND-TRIP FAILED'),
      String(sdp.length),
      String(lz.length),
      String(text.length),
      String(bytes.length),
      irreducible === null ? '-' : String(irreducible),
      over === null ? '-' : String(over),
      versionText(qrVersion(sdp)),
      versionText(qrVersion(lz)),
      versionText(qrVersion([{ data: qr, mode: 'alphanumeric' }])),
      form === 'compact'
        ? form
        : `${form} (deflate ${compressDeflate(sdp).length} B, lz ${compressLz(sdp).length} B)`,
    ]);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  console.log(
    `summary: ${rows.length - 1} files, ${failures} failed; compact codes ≥ ${worstRatio.toFixed(2)}× shorter than ` +
      `lz-string, at most ${worstOver} bytes over the irreducible bytes (text = base64url chars; QR at ECC ${LEVEL}, ` +
      `ours in alphanumeric mode)`,
  );
  return failures === 0 ? 0 : 1;
}
