// What the terminal prints: the QR symbol in half-block characters, progress lines, and one sentence for every
// way a code or a session can fail. Pure (strings in, strings out), so it is unit-tested without a terminal.

import type { CodecError } from '../codec/index.ts';
import { isDark, type QrMatrix, QUIET_ZONE } from '../qr/render.ts';
import { SAFETY_SYMBOLS } from '../rtc/index.ts';
import { formatBytes, formatDuration, type TransferView } from '../transfer/index.ts';
import type { Ending } from './peer.ts';

/** Two modules a character: upper half, lower half, both, none (dark printed as the block). */
const BOTH = '█';
const UPPER = '▀';
const LOWER = '▄';
const NONE = ' ';
/** 256-colour black on white: a terminal's own colours are often light on dark, which cameras read badly. */
const BLACK_ON_WHITE = '\x1b[38;5;16;48;5;231m';
const RESET = '\x1b[0m';

/**
 * The symbol as text, one character for two rows of modules, with the quiet zone the specification asks for.
 * Dark modules are the blocks; with `color`, the colours are set so that holds on a dark terminal too.
 */
export function qrText(matrix: QrMatrix, color: boolean): string {
  const lines: string[] = [];
  const from = -QUIET_ZONE;
  const to = matrix.size + QUIET_ZONE;
  for (let row = from; row < to; row += 2) {
    let line = '';
    for (let col = from; col < to; col++) {
      const top = isDark(matrix, row, col);
      const bottom = row + 1 < to && isDark(matrix, row + 1, col);
      line += top ? (bottom ? BOTH : UPPER) : bottom ? LOWER : NONE;
    }
    lines.push(color ? `${BLACK_ON_WHITE}${line}${RESET}` : line);
  }
  return lines.join('\n');
}

export { formatBytes, formatDuration };

const PERCENT = 100;

/** One line for a transfer in flight: name, bytes, percent, speed, time left (sizes as the app shows them). */
export function progressLine(t: TransferView): string {
  const pct = t.size === 0 ? PERCENT : Math.floor((t.bytes / t.size) * PERCENT);
  const rate = `${formatBytes(t.bytesPerSecond)}/s`;
  const left = t.etaSeconds === null ? '' : `, ${formatDuration(t.etaSeconds)} left`;
  const arrow = t.direction === 'out' ? '→' : '←';
  return `${arrow} ${t.name}: ${formatBytes(t.bytes)} of ${formatBytes(t.size)} (${pct}%), ${rate}${left}`;
}

const FAILURES: Readonly<Record<NonNullable<TransferView['failure']>, string>> = {
  mismatch: 'the bytes received do not match the sender’s SHA-256',
  'peer-mismatch': 'the other device found the bytes do not match their SHA-256',
  'size-mismatch': 'more or fewer bytes arrived than announced',
  protocol: 'the other device broke the file protocol',
  storage: 'writing the file failed',
  read: 'reading the file failed (changed or deleted?)',
  'peer-error': 'the other device reported an error',
};

/** Why a finished transfer did not succeed, or null when it did. */
export function transferProblem(t: TransferView): string | null {
  switch (t.status) {
    case 'done':
      return null;
    case 'declined':
      return `${t.name}: the other device declined it`;
    case 'cancelled':
      return `${t.name}: cancelled by ${t.cancelledBy === 'me' ? 'this side' : 'the other device'}`;
    case 'failed':
      return `${t.name}: ${t.failure === null ? 'failed' : FAILURES[t.failure]}`;
    default:
      return `${t.name}: not finished`;
  }
}

/** A refused code, as one sentence. */
export function codeProblem(error: CodecError, expected: 'offer' | 'answer'): string {
  switch (error.kind) {
    case 'empty':
      return `no ${expected} code was given`;
    case 'not-a-code':
      return 'that is not a Pigeon code';
    case 'damaged':
      return 'that code is damaged (a character is wrong); copy it again';
    case 'cut-short':
      return 'that code is cut short; copy all of it';
    case 'newer-version':
      return `that code comes from a newer Pigeon (format ${error.version}); update this one`;
    case 'unexpected-type':
      return `that is an ${error.got} code; this side needs the other device's ${error.expected}`;
    case 'wrong-session':
      return 'that answer belongs to another offer, not to this one';
    case 'unsupported-sdp':
      return `that description cannot be used here (${error.reason})`;
    case 'too-large':
      return 'that is far longer than any Pigeon code; nothing was decoded';
  }
}

/** How a session ended, as one sentence. */
export function endingLine(ending: Ending): string {
  switch (ending.kind) {
    case 'hung-up':
      return ending.by === 'peer' ? 'The other device hung up.' : 'Hung up.';
    case 'gone':
      return 'The other device stopped answering.';
    case 'lost':
      return 'The connection was lost.';
    case 'failed':
      return `Could not connect (${ending.reason}${ending.detail ? `: ${ending.detail}` : ''}).`;
    case 'untrusted':
      return UNTRUSTED[ending.reason];
  }
}

const UNTRUSTED: Record<(Ending & { kind: 'untrusted' })['reason'], string> = {
  'words-differ':
    'The safety words did not match, so the session was ended. Someone may have swapped a code: connect again with codes you carry yourself.',
  'reveal-refused':
    "The safety check failed (the other device's secret did not match its code), so the session was ended. Someone may have swapped a code.",
  'certificate-changed':
    'The other device suddenly presented a different security certificate, so the session was ended. Someone may be trying to take it over.',
};

/** The safety words as the terminal prints them: each symbol with its English name (docs/safety-words.md). */
export function wordsLine(symbols: readonly number[]): string {
  return `Safety words: ${symbols
    .map((i) => {
      const s = SAFETY_SYMBOLS[i];
      return s ? `${s.emoji} ${s.en}` : '?';
    })
    .join('  ')}`;
}

/** What the person can do with the words, printed under them. */
export const WORDS_HINT =
  'Compare them with the other screen. Type /match if they are the same; /differ (or Ctrl-C) if not.';
