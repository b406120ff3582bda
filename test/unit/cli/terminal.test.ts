// The terminal's QR is the app's symbol: the half-block text, drawn back as pixels, decodes (jsQR, as the app's
// scanner does) to the app's link with the code; and the lines it prints for progress and failures.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codeProblem,
  endingLine,
  formatDuration,
  progressLine,
  qrText,
  wordsLine,
} from '../../../src/cli/terminal.ts';
import { encodeDescription, linkFor } from '../../../src/codec/index.ts';
import { decodeFrame } from '../../../src/qr/decode-frame.ts';
import { QUIET_ZONE, qrMatrix } from '../../../src/qr/render.ts';
import { SAFETY_SYMBOLS } from '../../../src/rtc/base/safety-symbols.ts';
import type { TransferView } from '../../../src/transfer/index.ts';

const PX = 4;
const FIXTURES = join(import.meta.dirname, '../../fixtures/sdp/base');

/** Draws the text as a phone would see it: each character two modules tall, blocks dark. */
function raster(text: string): { rgba: Uint8ClampedArray; size: number } {
  const lines = text.split('\n');
  const cols = [...(lines[0] ?? '')].length;
  const size = cols * PX;
  const rgba = new Uint8ClampedArray(size * size * 4).fill(255);
  lines.forEach((line, row) => {
    [...line].forEach((ch, col) => {
      const top = ch === '█' || ch === '▀';
      const bottom = ch === '█' || ch === '▄';
      for (const [dark, half] of [
        [top, 0],
        [bottom, 1],
      ] as const) {
        if (!dark) continue;
        for (let y = 0; y < PX; y++)
          for (let x = 0; x < PX; x++) {
            const at = (((row * 2 + half) * PX + y) * size + col * PX + x) * 4;
            rgba[at] = rgba[at + 1] = rgba[at + 2] = 0;
          }
      }
    });
  });
  return { rgba, size };
}

describe('the QR in half blocks', () => {
  const sdp = readFileSync(join(FIXTURES, 'chrome-chrome-rawip-offer.sdp'), 'utf8');
  const code = encodeDescription({ type: 'offer', sdp });
  if (!code.ok) throw new Error('fixture did not encode');
  const base = 'https://pigeon.example/app/';
  const link = linkFor(base, code.value.text);

  it("holds the app's symbol: the link prefix and the base43 code, decoded by the app's scanner", () => {
    const matrix = qrMatrix({ code: code.value.qr, prefix: `${base}#` });
    if (!matrix.ok) throw new Error('no symbol');
    const text = qrText(matrix.value, false);
    const rows = text.split('\n');
    expect(rows).toHaveLength(Math.ceil((matrix.value.size + 2 * QUIET_ZONE) / 2));
    expect(rows.every((r) => [...r].length === matrix.value.size + 2 * QUIET_ZONE)).toBe(true);
    const { rgba, size } = raster(text);
    expect(decodeFrame(rgba, size, size)).toBe(`${base}#${code.value.qr}`);
    // The scanned link and the printed link carry the same code (base43 in the symbol, base64url in text).
    expect(link).toBe(`${base}#${code.value.text}`);
  });

  it('with colour, every line is set black on white and reset', () => {
    const matrix = qrMatrix({ code: code.value.qr });
    if (!matrix.ok) throw new Error('no symbol');
    for (const line of qrText(matrix.value, true).split('\n')) {
      expect(line.startsWith('\x1b[38;5;16;48;5;231m')).toBe(true);
      expect(line.endsWith('\x1b[0m')).toBe(true);
    }
  });
});

describe('lines', () => {
  it('the safety words: each symbol with its English name, as the app lists them', () => {
    expect(wordsLine([0, 63, 5])).toBe(
      `Safety words: ${[0, 63, 5].map((i) => `${SAFETY_SYMBOLS[i]?.emoji} ${SAFETY_SYMBOLS[i]?.en}`).join('  ')}`,
    );
    // An ending that says someone may be in the middle is never read as a plain hang-up.
    for (const reason of ['words-differ', 'reveal-refused', 'certificate-changed'] as const) {
      const said = endingLine({ kind: 'untrusted', reason });
      expect(said).toMatch(/Someone may/);
      expect(said).not.toBe(endingLine({ kind: 'hung-up', by: 'peer' }));
    }
  });

  const view = (patch: Partial<TransferView>): TransferView => ({
    id: '1',
    direction: 'out',
    name: 'a.bin',
    path: '',
    size: 20_000_000,
    type: '',
    status: 'sending',
    bytes: 5_000_000,
    sent: 5_000_000,
    resumedFrom: [],
    paused: false,
    cancelledBy: null,
    failure: null,
    bytesPerSecond: 12_500_000,
    etaSeconds: 1.2,
    sha256: null,
    blob: null,
    toDisk: false,
    ...patch,
  });

  it('progress: bytes, percent, MB/s, time left', () => {
    expect(progressLine(view({}))).toBe('→ a.bin: 5.0 MB of 20 MB (25%), 13 MB/s, 0:02 left');
    expect(progressLine(view({ direction: 'in', etaSeconds: null }))).toBe(
      '← a.bin: 5.0 MB of 20 MB (25%), 13 MB/s',
    );
    expect(formatDuration(125)).toBe('2:05');
  });

  it('every refused code has its own sentence', () => {
    const kinds = [
      codeProblem({ kind: 'empty' }, 'answer'),
      codeProblem({ kind: 'not-a-code' }, 'answer'),
      codeProblem({ kind: 'damaged' }, 'answer'),
      codeProblem({ kind: 'cut-short' }, 'answer'),
      codeProblem({ kind: 'newer-version', version: 3 }, 'answer'),
      codeProblem({ kind: 'unexpected-type', expected: 'answer', got: 'offer' }, 'answer'),
      codeProblem({ kind: 'wrong-session' }, 'answer'),
      codeProblem({ kind: 'unsupported-sdp', reason: 'x' }, 'answer'),
    ];
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.every((k) => !k.includes('\n'))).toBe(true);
  });
});
