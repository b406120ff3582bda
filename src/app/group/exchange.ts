// A link made in-band (docs/groups.md): its session makes the same offer and answer as a first exchange, and
// they travel as relayed bodies instead of codes. Pure: what to send for a session's state, what a body asks
// of the session. The descriptions go as the browser made them: nothing here edits an SDP.

import {
  encodeBody,
  encodeEnvelope,
  type LinkBody,
  type LinkRole,
  type MemberId,
  parseBody,
} from '../../group/index.ts';
import { codeField, fromHex, type Intent, type SessionState, toHex } from '../../rtc/index.ts';

/** The first attempt's name; a retry would be a new one. */
export const FIRST_ATTEMPT = '1';

/** The body this end sends now: the offerer its offer once made, the answerer its answer; else null. */
export function bodyToSend(s: SessionState, role: LinkRole, attempt: string): LinkBody | null {
  // The safety words' field goes as a code would carry it (docs/safety-words.md): the offer's commitment (the
  // body waits while it is hashed), the answer's secret; the reveal then goes over the new link itself, so the
  // relay can choose neither side's secret.
  const field = codeField(s);
  if (field === 'pending') return null;
  const sas = field === null ? null : toHex(field);
  if (role === 'offerer' && s.kind === 'offer-ready')
    return { k: 'offer', a: attempt, sdp: s.sdp, ...(sas === null ? {} : { commit: sas }) };
  if (role === 'answerer' && s.kind === 'answer-ready')
    return { k: 'answer', a: attempt, sdp: s.sdp, ...(sas === null ? {} : { secret: sas }) };
  return null;
}

const bytesOf = (hex: string | undefined): Uint8Array | null => (hex === undefined ? null : fromHex(hex));

/** The relay envelope carrying `body` from us to `peer`, or null when it would not fit. */
export function envelopeFor(self: MemberId, peer: MemberId, body: LinkBody): string | null {
  const text = encodeBody(body);
  if (text === null) return null;
  const envelope = encodeEnvelope(self, peer, text);
  return envelope.ok ? envelope.value : null;
}

export type Received =
  | { readonly kind: 'intent'; readonly intent: Intent; readonly attempt: string }
  /** The peer gave the attempt up, or sent what cannot be its part: the link fails. */
  | { readonly kind: 'fail' }
  | { readonly kind: 'ignore' };

/**
 * What a relayed body asks of this end's session. `attempt`: the one this end is in (the answerer takes the
 * offerer's; null before its offer).
 */
export function received(text: string, role: LinkRole, attempt: string | null): Received {
  const parsed = parseBody(text);
  if (!parsed.ok) return { kind: 'fail' };
  const body = parsed.value;
  if (attempt !== null && body.a !== attempt) return { kind: 'ignore' };
  switch (body.k) {
    case 'offer': {
      if (role !== 'answerer' || attempt !== null) return { kind: 'fail' };
      const commit = bytesOf(body.commit);
      const intent: Intent = { type: 'join', offerSdp: body.sdp, ...(commit === null ? {} : { commit }) };
      return { kind: 'intent', intent, attempt: body.a };
    }
    case 'answer': {
      if (role !== 'offerer') return { kind: 'fail' };
      const peerSecret = bytesOf(body.secret);
      const intent: Intent = {
        type: 'accept-answer',
        answerSdp: body.sdp,
        ...(peerSecret === null ? {} : { peerSecret }),
      };
      return { kind: 'intent', intent, attempt: body.a };
    }
    case 'end':
      return { kind: 'fail' };
    case 'cand':
      // Reserved for trickle: complete descriptions carry their candidates.
      return { kind: 'ignore' };
  }
}

/** How a link's session ended, in the roster's words: a bye is leaving, anything else vanishing. */
export const closedReason = (s: SessionState): 'left' | 'vanished' =>
  s.kind === 'closed' && (s.reason === 'remote-hangup' || s.reason === 'local-hangup') ? 'left' : 'vanished';
