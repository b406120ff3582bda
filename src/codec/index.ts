// The codec's public API: a session description ⇄ a Pigeon code (text, QR, link), plus other tools'
// formats on input. Pure and total: outside input yields a tagged error, never an exception.

import { namesLocalAddresses } from './candidate.ts';
import { fnv1a32 } from './checksum.ts';
import { fromBootstrap, toBootstrap } from './compact.ts';
import { compressBest, decompress } from './fallback.ts';
import { decodeForeign } from './foreign.ts';
import { BINDING_LENGTH, type FrameError, readFrame, SAS_FIELD_LENGTH, writeFrame } from './frame.ts';
import { carriable, readBootstrap, writeBootstrap } from './layout.ts';
import { MAX_INPUT_CHARS } from './limits.ts';
import { sessionIdentity } from './sdp.ts';
import {
  codeCandidates,
  fromBase43,
  fromBase64Url,
  looksBase43,
  looksBase64Url,
  toBase43,
  toBase64Url,
} from './text.ts';
import {
  type Code,
  type CodecError,
  type Decoded,
  type Description,
  err,
  ok,
  type Result,
  type SignalType,
} from './types.ts';

export { MAX_INPUT_CHARS, MAX_SDP_CHARS } from './limits.ts';
export { QR_ALPHABET } from './text.ts';
export type * from './types.ts';

export interface EncodeOptions {
  /** For answers: the offer being answered, so the code carries a binding to it. */
  readonly offerSdp?: string;
  /** For offers: this offer resumes an existing session on a new connection (frame.ts). */
  readonly resume?: boolean;
  /**
   * The safety-words field (SAS_FIELD_LENGTH: an offer's 4-byte commitment, an answer's 8-byte secret). Carried by the compact form
   * only (`Code.sas` says whether it was): a fallback code cannot be verified (docs/safety-words.md).
   */
  readonly sas?: Uint8Array;
  /** Force the lossless fallback (for measurements). */
  readonly forceFallback?: boolean;
}

/** A short tag derived from an offer's ICE credentials and certificate: ties an answer to its call. */
export function bindingFor(offerSdp: string): Uint8Array | null {
  const id = sessionIdentity(offerSdp);
  if (!id) return null;
  const h = fnv1a32(`${id.ufrag}\n${id.pwd}\n${id.fingerprint}`);
  return Uint8Array.of(h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff).subarray(0, BINDING_LENGTH);
}

export function encodeDescription(desc: Description, opts: EncodeOptions = {}): Result<Code, CodecError> {
  if (!desc.sdp.startsWith('v=0')) return err({ kind: 'unsupported-sdp', reason: 'not an SDP' });
  let binding: Uint8Array | null = null;
  if (desc.type === 'answer') {
    binding = opts.offerSdp === undefined ? null : bindingFor(opts.offerSdp);
    if (!binding) return err({ kind: 'unsupported-sdp', reason: 'an answer needs the offer it answers' });
  }
  const compact = opts.forceFallback ? null : toBootstrap(desc.type, desc.sdp);
  const resume = opts.resume === true && desc.type === 'offer';
  let frame: Uint8Array;
  if (compact?.ok && carriable(compact.value)) {
    const body = writeBootstrap(compact.value);
    const sas = opts.sas?.length === SAS_FIELD_LENGTH[desc.type] ? opts.sas : null;
    frame = writeFrame({ form: 'compact', type: desc.type, binding, resume, sas, body });
  } else {
    const { form, body } = compressBest(desc.sdp);
    frame = writeFrame({ form, type: desc.type, binding, resume, sas: null, body });
  }
  const form =
    frame[0] === undefined ? 'compact' : (['compact', 'deflate', 'lz'] as const)[(frame[0] >> 3) & 3];
  const sas = ((frame[0] ?? 0) & 1) === 1;
  return ok({
    text: toBase64Url(frame),
    qr: toBase43(frame),
    form: form ?? 'compact',
    bytes: frame,
    sas,
    localAddresses: namesLocalAddresses(desc.sdp),
  });
}

export interface DecodeOptions {
  /** The type the caller is waiting for; the other type is refused with 'unexpected-type'. */
  readonly expect?: SignalType;
  /** Our own offer, when taking an answer in: an answer bound to another offer is refused. */
  readonly offerSdp?: string;
}

const ERROR_RANK: Record<CodecError['kind'], number> = {
  empty: 0,
  'not-a-code': 1,
  damaged: 2,
  'cut-short': 3,
  'newer-version': 4,
  'unexpected-type': 5,
  'wrong-session': 6,
  'unsupported-sdp': 7,
  'too-large': 8,
};

export function decodeInput(input: string, opts: DecodeOptions = {}): Result<Decoded, CodecError> {
  if (typeof input !== 'string' || input.trim() === '') return err({ kind: 'empty' });
  // Checked before anything else looks at the text: every later step is then bounded too.
  if (input.length > MAX_INPUT_CHARS) return err({ kind: 'too-large' });
  let best: CodecError = { kind: 'not-a-code' };
  const direct = /^\s*(v=0|\{)/.test(input) ? foreign(input, opts) : null;
  if (direct) return direct;
  for (const candidate of codeCandidates(input)) {
    for (const [bytes, clean] of renderings(candidate)) {
      let r = decodeFrameBytes(bytes, opts);
      if (!clean && r.ok) r = err({ kind: 'damaged' });
      if (r.ok) return r;
      if (ERROR_RANK[r.error.kind] > ERROR_RANK[best.kind]) best = r.error;
    }
  }
  return foreign(input, opts) ?? err(best);
}

function foreign(input: string, opts: DecodeOptions): Result<Decoded, CodecError> | null {
  const d = decodeForeign(input, opts.expect ?? 'offer');
  if (d === 'too-large') return err({ kind: 'too-large' });
  return d ? checkType(d, opts) : null;
}

/** The byte strings a candidate may stand for, each with whether its text was well-formed. */
function renderings(s: string): [Uint8Array, boolean][] {
  const out: [Uint8Array, boolean][] = [];
  if (looksBase64Url(s)) {
    const strict = fromBase64Url(s);
    const lenient = strict ?? fromBase64Url(s, true);
    if (lenient) out.push([lenient, strict !== null]);
  }
  const b43 = looksBase43(s) ? fromBase43(s) : null;
  if (b43) out.push([b43, true]);
  return out;
}

function decodeFrameBytes(bytes: Uint8Array, opts: DecodeOptions): Result<Decoded, CodecError> {
  const frame = readFrame(bytes);
  if (!frame.ok) return err(frameError(frame.error));
  const { form, type, binding, resume, sas, body } = frame.value;
  let sdp: string;
  if (form === 'compact') {
    const b = readBootstrap(type, body);
    if (b === 'cut-short' || b === 'malformed')
      return err({ kind: b === 'cut-short' ? 'cut-short' : 'damaged' });
    sdp = fromBootstrap(b);
  } else {
    const text = decompress(form, body);
    if (!text.ok) return err({ kind: text.error });
    sdp = text.value;
  }
  const typed = checkType(
    {
      type,
      sdp,
      format: 'pigeon',
      form,
      ...(resume ? { resume: true as const } : {}),
      ...(sas ? { sas } : {}),
    },
    opts,
  );
  if (!typed.ok || type !== 'answer' || opts.offerSdp === undefined) return typed;
  const expected = bindingFor(opts.offerSdp);
  const same = expected !== null && binding !== null && expected.every((x, i) => x === binding[i]);
  return same ? typed : err({ kind: 'wrong-session' });
}

function checkType(d: Decoded, opts: DecodeOptions): Result<Decoded, CodecError> {
  if (opts.expect && d.type !== opts.expect)
    return err({ kind: 'unexpected-type', expected: opts.expect, got: d.type });
  return ok(d);
}

function frameError(e: FrameError): CodecError {
  return typeof e === 'object' ? { kind: 'newer-version', version: e.newer } : { kind: e };
}

/**
 * The link form: the code rides in the fragment, so it never reaches a web server. The page's query is dropped
 * too: it is not ours to pass on, and a long one made the QR symbol overflow (no code shown at all).
 */
export function linkFor(base: string, code: string): string {
  const end = base.search(/[?#]/);
  return `${end < 0 ? base : base.slice(0, end)}#${code}`;
}
