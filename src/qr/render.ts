// Payload → QR module matrix and SVG. Pure: no DOM, so it runs in node tests and scripts too.
import { create, type QRCodeSegment } from 'qrcode';
import { err, ok, type Result } from '../codec/types';

export type QrLevel = 'L' | 'M' | 'Q' | 'H';

/**
 * What a symbol carries. `code` goes in an alphanumeric segment (5.5 bits a character instead of 8);
 * the optional `prefix` (e.g. `https://host/path/#`) goes in a byte segment before it, so a camera app
 * sees one URL while the symbol stays small.
 */
export interface QrPayload {
  readonly code: string;
  readonly prefix?: string | undefined;
}

export interface QrOptions {
  /** Error correction; M survives a little glare and blur on a phone screen without growing the symbol much. */
  readonly level?: QrLevel | undefined;
}

export interface SvgOptions extends QrOptions {
  /** Accessible name of the image. */
  readonly title?: string | undefined;
}

export interface QrMatrix {
  readonly version: number;
  readonly level: QrLevel;
  /** Modules per side, without the quiet zone. */
  readonly size: number;
  /** Row-major, one byte per module: 1 = dark. */
  readonly modules: Uint8Array;
}

export type QrRenderError =
  | { readonly kind: 'empty' }
  | { readonly kind: 'not-alphanumeric'; readonly index: number; readonly char: string }
  | { readonly kind: 'too-long' };

/** How `qrVersionForText` encodes a string: let qrcode choose segments, or all bytes. */
export type TextMode = 'auto' | 'byte';

export const DEFAULT_LEVEL: QrLevel = 'M';
/** The quiet zone the QR specification asks for, in modules. */
export const QUIET_ZONE = 4;
const DEFAULT_TITLE = 'QR code';

// Alphanumeric mode's 45 characters (ISO/IEC 18004 table 5). Lower case is not among them.
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;
const NOT_ALPHANUMERIC = /[^0-9A-Z $%*+\-./:]/;

const utf8 = new TextEncoder();

function checkCode(code: string): QrRenderError | null {
  if (code.length === 0) return { kind: 'empty' };
  if (ALPHANUMERIC.test(code)) return null;
  const found = NOT_ALPHANUMERIC.exec(code);
  return { kind: 'not-alphanumeric', index: found?.index ?? 0, char: found?.[0] ?? '' };
}

function segmentsFor(payload: QrPayload): QRCodeSegment[] {
  const segments: QRCodeSegment[] = [];
  if (payload.prefix) segments.push({ mode: 'byte', data: utf8.encode(payload.prefix) });
  segments.push({ mode: 'alphanumeric', data: payload.code });
  return segments;
}

// qrcode throws on data it cannot hold. Segments are validated first, so the one failure left is capacity.
function build(segments: string | QRCodeSegment[], level: QrLevel): Result<QrMatrix, QrRenderError> {
  try {
    const symbol = create(segments, { errorCorrectionLevel: level });
    const { size, data } = symbol.modules;
    return ok({
      version: symbol.version,
      level,
      size,
      modules: Uint8Array.from(data, (bit) => (bit ? 1 : 0)),
    });
  } catch {
    return err({ kind: 'too-long' });
  }
}

/** The smallest symbol (at the given level) for the payload, as a module matrix. */
export function qrMatrix(payload: QrPayload, opts: QrOptions = {}): Result<QrMatrix, QrRenderError> {
  const problem = checkCode(payload.code);
  if (problem) return err(problem);
  return build(segmentsFor(payload), opts.level ?? DEFAULT_LEVEL);
}

/** The symbol version (1–40) `qrMatrix` would choose. */
export function qrVersion(payload: QrPayload, level: QrLevel = DEFAULT_LEVEL): Result<number, QrRenderError> {
  const matrix = qrMatrix(payload, { level });
  return matrix.ok ? ok(matrix.value.version) : matrix;
}

/** The symbol version for any string: qrcode picks segment modes itself ('auto'), or every byte ('byte'). */
export function qrVersionForText(
  text: string,
  level: QrLevel = DEFAULT_LEVEL,
  mode: TextMode = 'auto',
): Result<number, QrRenderError> {
  if (text.length === 0) return err({ kind: 'empty' });
  const data = mode === 'byte' ? [{ mode: 'byte' as const, data: utf8.encode(text) }] : text;
  const matrix = build(data, level);
  return matrix.ok ? ok(matrix.value.version) : matrix;
}

/** True for a dark module; false outside the symbol (the quiet zone is light). */
export function isDark(matrix: QrMatrix, row: number, col: number): boolean {
  if (row < 0 || col < 0 || row >= matrix.size || col >= matrix.size) return false;
  return matrix.modules[row * matrix.size + col] === 1;
}

// One subpath per horizontal run of dark modules keeps the path short (a run is one rectangle).
function darkPath(matrix: QrMatrix): string {
  const parts: string[] = [];
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!isDark(matrix, row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (isDark(matrix, row, col)) col++;
      const run = col - start;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`);
    }
  }
  return parts.join('');
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** SVG markup for a matrix: viewBox in modules (scales to any size), quiet zone, black on white. */
export function matrixSvg(matrix: QrMatrix, title: string = DEFAULT_TITLE): string {
  const side = matrix.size + 2 * QUIET_ZONE;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" role="img" ` +
    `shape-rendering="crispEdges"><title>${escapeXml(title)}</title>` +
    `<rect width="${side}" height="${side}" fill="#fff"/>` +
    `<path fill="#000" d="${darkPath(matrix)}"/></svg>`
  );
}

/**
 * SVG markup for a payload. Our own codec makes the payload, so a refusal is a programming error and
 * throws a RangeError; use `qrMatrix` + `matrixSvg` to handle refusals as values.
 */
export function qrSvg(payload: QrPayload, opts: SvgOptions = {}): string {
  const matrix = qrMatrix(payload, opts);
  if (!matrix.ok) throw new RangeError(`cannot render QR payload: ${matrix.error.kind}`);
  return matrixSvg(matrix.value, opts.title ?? DEFAULT_TITLE);
}

/**
 * The code panel's symbol: the link (prefix + code) when it fits, else the code alone — Pigeon's scanner reads
 * it, a camera app shows it as text — so a page address too long for a symbol never leaves the panel empty.
 * null only when not even the code fits.
 */
export function codeQrSvg(payload: QrPayload, opts: SvgOptions = {}): string | null {
  const withLink = qrMatrix(payload, opts);
  const matrix = withLink.ok || !payload.prefix ? withLink : qrMatrix({ code: payload.code }, opts);
  return matrix.ok ? matrixSvg(matrix.value, opts.title ?? DEFAULT_TITLE) : null;
}
