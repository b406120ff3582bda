// The frame every Pigeon code shares, whatever its form:
//   byte 0: version(3) form(2) type(1) resume(1) sas(1)   byte 1: frame length mod 256   bytes 2-3: CRC-16
//   [answers: 3-byte binding to the offer]  [sas: offers 4 bytes, answers 8]  body
// The sas field (version 2) is the offerer's commitment in an offer, the answerer's secret in an answer
// (docs/safety-words.md). Version 1 codes (no sas bit) are still read.
// The CRC covers every byte but itself; the length byte tells a code cut short from a damaged one.
// The resume bit marks an offer for a NEW connection that carries on an existing session (the device's old
// connection is gone); only offers have it.

import { crc16 } from './checksum.ts';
import { err, type Form, ok, type Result, type SignalType } from './types.ts';

export const FORMAT_VERSION = 2;
/** The oldest version a reader still takes (version 1 had no sas field). */
export const OLDEST_VERSION = 1;
/**
 * The sas field's length: an offer's commitment to the offerer's secret (4 bytes keep a one-candidate offer
 * within QR version 5 at ECC M), an answer's secret (docs/safety-words.md says why each is enough).
 */
export const SAS_FIELD_LENGTH: Readonly<Record<SignalType, number>> = { offer: 4, answer: 8 };
export const BINDING_LENGTH = 3;
const HEADER_LENGTH = 4;
const FORMS: readonly Form[] = ['compact', 'deflate', 'lz'];
const TYPE_BIT = 4;
const RESUME_BIT = 2;
const SAS_BIT = 1;

export interface Frame {
  readonly version: number;
  readonly form: Form;
  readonly type: SignalType;
  readonly binding: Uint8Array | null;
  /** An offer that resumes an existing session on a new connection. */
  readonly resume: boolean;
  /** The safety-words field (SAS_FIELD_LENGTH[type] bytes), or null when the code carries none. */
  readonly sas: Uint8Array | null;
  readonly body: Uint8Array;
}

export type FrameError = 'not-a-code' | 'damaged' | 'cut-short' | { readonly newer: number };

export function writeFrame(
  f: Omit<Frame, 'version' | 'sas'> & { readonly sas?: Uint8Array | null },
): Uint8Array {
  const binding = f.type === 'answer' ? (f.binding ?? new Uint8Array(BINDING_LENGTH)) : new Uint8Array(0);
  const sas = f.sas?.length === SAS_FIELD_LENGTH[f.type] ? f.sas : null;
  const total = HEADER_LENGTH + binding.length + (sas?.length ?? 0) + f.body.length;
  const out = new Uint8Array(total);
  out[0] =
    (FORMAT_VERSION << 5) |
    (FORMS.indexOf(f.form) << 3) |
    (f.type === 'answer' ? TYPE_BIT : 0) |
    (f.resume && f.type === 'offer' ? RESUME_BIT : 0) |
    (sas ? SAS_BIT : 0);
  out[1] = total & 0xff;
  out.set(binding, HEADER_LENGTH);
  if (sas) out.set(sas, HEADER_LENGTH + binding.length);
  out.set(f.body, HEADER_LENGTH + binding.length + (sas?.length ?? 0));
  const crc = crc16(out.subarray(0, 2), out.subarray(HEADER_LENGTH));
  out[2] = crc >> 8;
  out[3] = crc & 0xff;
  return out;
}

export function readFrame(bytes: Uint8Array): Result<Frame, FrameError> {
  if (bytes.length < HEADER_LENGTH) return err(bytes.length === 0 ? 'not-a-code' : 'cut-short');
  const [h = 0, len = 0, c0 = 0, c1 = 0] = bytes;
  const crcOk = crc16(bytes.subarray(0, 2), bytes.subarray(HEADER_LENGTH)) === ((c0 << 8) | c1);
  if (!crcOk) return err((bytes.length & 0xff) !== len ? cutOrDamaged(bytes, len) : 'damaged');
  const version = h >> 5;
  if (version === 0) return err('not-a-code');
  if (version > FORMAT_VERSION) return err({ newer: version });
  const form = FORMS[(h >> 3) & 3];
  const type: SignalType = h & TYPE_BIT ? 'answer' : 'offer';
  const resume = (h & RESUME_BIT) !== 0;
  const hasSas = (h & SAS_BIT) !== 0;
  // Version 1 reserved the sas bit (set: not a code).
  if (!form || (hasSas && version < FORMAT_VERSION) || (resume && type === 'answer'))
    return err('not-a-code');
  const sasAt = HEADER_LENGTH + (type === 'answer' ? BINDING_LENGTH : 0);
  const start = sasAt + (hasSas ? SAS_FIELD_LENGTH[type] : 0);
  if (bytes.length < start) return err('cut-short');
  const binding = type === 'answer' ? bytes.slice(HEADER_LENGTH, sasAt) : null;
  const sas = hasSas ? bytes.slice(sasAt, start) : null;
  return ok({ version, form, type, binding, resume, sas, body: bytes.slice(start) });
}

/** A code shorter than its header says is cut short; longer means damage (or junk appended). */
function cutOrDamaged(bytes: Uint8Array, declared: number): FrameError {
  const actual = bytes.length & 0xff;
  return (declared - actual + 256) % 256 < 128 ? 'cut-short' : 'damaged';
}
