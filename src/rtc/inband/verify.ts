// In-band messages of the safety words (docs/safety-words.md): the offerer's reveal of its secret, and a person's
// "They match". "They differ" is a bye (reason 'words-differ'). Same protocol v1: an older peer answers these
// with 'unknown-type' and carries on (it shows no words).

import { err, ok, type Result } from '../base/result.ts';
import { fromHex, OFFER_SECRET_LENGTH, toHex } from '../base/sas.ts';

const V = 1 as const;

/** The offerer's secret, sent once the channel opens; the answerer checks it against the offer's commitment. */
export interface RevealMessage {
  readonly v: typeof V;
  readonly t: 'reveal';
  /** OFFER_SECRET_LENGTH bytes as lower-case hex. */
  readonly secret: string;
}
/** The person on the sending device said the words match. */
export interface VerifiedMessage {
  readonly v: typeof V;
  readonly t: 'verified';
}
export type VerifyMessage = RevealMessage | VerifiedMessage;

export const revealMessage = (secret: Uint8Array): RevealMessage => ({
  v: V,
  t: 'reveal',
  secret: toHex(secret),
});
export const VERIFIED: VerifiedMessage = { v: V, t: 'verified' };

/** The revealed secret's bytes (the parser has checked its shape). */
export const revealedSecret = (m: RevealMessage): Uint8Array => fromHex(m.secret) ?? new Uint8Array(0);

type Fields = Readonly<Record<string, unknown>>;
type VerifyError = { readonly kind: 'bad-field'; readonly type: string; readonly field: string };

/** Parses one of this module's types; undefined when `t` is not one of them. */
export function parseVerify(t: string, record: Fields): Result<VerifyMessage, VerifyError> | undefined {
  if (t === 'verified') return ok(VERIFIED);
  if (t !== 'reveal') return undefined;
  const secret = Object.hasOwn(record, 'secret') ? record.secret : undefined;
  const bytes =
    typeof secret === 'string' && secret.length === OFFER_SECRET_LENGTH * 2 ? fromHex(secret) : null;
  return bytes
    ? ok({ v: V, t: 'reveal', secret: toHex(bytes) })
    : err({ kind: 'bad-field', type: t, field: 'secret' });
}
