// What a relayed envelope carries between the two ends of a link made in-band (docs/groups.md). Only the ends
// read it; the relay forwards it untouched. Room for the safety words: an offer carries the offerer's
// commitment, an answer the answerer's secret (the reveal goes over the new link), with no change to the relay.

import { SAS_FIELD_LENGTH } from '../codec/frame.ts';
import { err, field, isBoundedString, type JsonError, ok, parseObject, type Result } from '../rtc/index.ts';
import { asciiJson } from './ascii.ts';
import { MAX_BODY_CHARS } from './wire.ts';

export const BODY_VERSION = 1;
/** Attempt names: a retry is a new attempt, so late messages of an old one are told apart. */
const ATTEMPT = /^[0-9a-z]{1,16}$/;
/** The safety words' field as hex, as a code carries it: the offer's commitment, the answer's secret. */
const SAS_FIELD = {
  offer: new RegExp(`^[0-9a-f]{${2 * SAS_FIELD_LENGTH.offer}}$`),
  answer: new RegExp(`^[0-9a-f]{${2 * SAS_FIELD_LENGTH.answer}}$`),
};
const MAX_CANDIDATE_CHARS = 1024;
const MAX_REASON_CHARS = 32;
/** Fields besides the SDP: version, kind, attempt, safety-words field, JSON punctuation. */
const BODY_OVERHEAD_CHARS = 256;
/** The largest SDP a body can carry once JSON-escaped (SDP lines end in \r\n, 4 characters escaped). */
export const MAX_BODY_SDP_CHARS = Math.floor((MAX_BODY_CHARS - BODY_OVERHEAD_CHARS) / 2);

export type LinkBody =
  | { readonly k: 'offer'; readonly a: string; readonly sdp: string; readonly commit?: string }
  | { readonly k: 'answer'; readonly a: string; readonly sdp: string; readonly secret?: string }
  /** Reserved for trickled candidates (the first in-band version sends complete descriptions). */
  | { readonly k: 'cand'; readonly a: string; readonly c: string }
  | { readonly k: 'end'; readonly a: string; readonly reason: string };

export type BodyError =
  | JsonError
  | { readonly kind: 'bad-version' }
  | { readonly kind: 'bad-field'; readonly field: string };

export const isAttempt = (value: unknown): value is string =>
  typeof value === 'string' && ATTEMPT.test(value);

/** Our body as printable ASCII within MAX_BODY_CHARS, or null when it would not fit. */
export function encodeBody(body: LinkBody): string | null {
  const text = asciiJson({ v: BODY_VERSION, ...body });
  return text.length <= MAX_BODY_CHARS ? text : null;
}

export function parseBody(data: string): Result<LinkBody, BodyError> {
  const object = parseObject(data, MAX_BODY_CHARS);
  if (!object.ok) return object;
  const record = object.value;
  const bad = (name: string): Result<never, BodyError> => err({ kind: 'bad-field', field: name });
  if (field(record, 'v') !== BODY_VERSION) return err({ kind: 'bad-version' });
  const a = field(record, 'a');
  if (!isAttempt(a)) return bad('a');
  const k = field(record, 'k');
  switch (k) {
    case 'offer':
    case 'answer': {
      const sdp = field(record, 'sdp');
      if (!isBoundedString(sdp, MAX_BODY_SDP_CHARS)) return bad('sdp');
      const name = k === 'offer' ? 'commit' : 'secret';
      const sas = field(record, name);
      if (sas !== undefined && !(typeof sas === 'string' && SAS_FIELD[k].test(sas))) return bad(name);
      if (k === 'offer') return ok(sas === undefined ? { k, a, sdp } : { k, a, sdp, commit: sas });
      return ok(sas === undefined ? { k, a, sdp } : { k, a, sdp, secret: sas });
    }
    case 'cand': {
      const c = field(record, 'c');
      return isBoundedString(c, MAX_CANDIDATE_CHARS, 0) ? ok({ k, a, c }) : bad('c');
    }
    case 'end': {
      const reason = field(record, 'reason');
      return isBoundedString(reason, MAX_REASON_CHARS) ? ok({ k, a, reason }) : bad('reason');
    }
    default:
      return bad('k');
  }
}
