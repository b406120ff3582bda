// The codes of a session's first exchange with their safety-words field (docs/safety-words.md): what the code
// on screen carries (the offer its commitment, the answer our secret), and the intents a code read makes.

import { type Code, type CodecError, type Decoded, encodeDescription } from '../codec/index.ts';
import { codeField, type Intent, type Result, reconnectKey, type SessionState } from '../rtc/index.ts';
import { reconnectTag } from './reconnect-tag.ts';

/**
 * The code to show for this state, or null for none (no code in this state, or the offer's commitment is still
 * being hashed: the code waits a moment for it rather than go without).
 * offerSdp: the offer our answer binds to. resume: an offer that carries a session on (it has a chat).
 */
export function sessionCode(s: SessionState, offerSdp: string | null): Result<Code, CodecError> | null {
  if (s.kind !== 'offer-ready' && s.kind !== 'answer-ready') return null;
  const field = codeField(s);
  if (field === 'pending') return null;
  const type = s.kind === 'offer-ready' ? 'offer' : 'answer';
  const resume = type === 'offer' && s.chat !== undefined;
  // A carried-on session's offer is tagged so the peer knows it (reconnect-tag.ts); a first one commits.
  const key = resume ? reconnectKey(s) : null;
  const sas = key instanceof Uint8Array ? reconnectTag(key) : field;
  return encodeDescription(
    { type, sdp: s.sdp },
    {
      ...(offerSdp ? { offerSdp } : {}),
      resume,
      ...(sas ? { sas } : {}),
    },
  );
}

/** An offer code read: join it, with its commitment if it carried one. */
export const joinIntent = (offer: Pick<Decoded, 'sdp' | 'sas'>): Intent => ({
  type: 'join',
  offerSdp: offer.sdp,
  ...(offer.sas ? { commit: offer.sas } : {}),
});

/** Our offer's answer read: apply it, with the answerer's secret if it carried one. */
export const answerIntent = (answer: Pick<Decoded, 'sdp' | 'sas'>): Intent => ({
  type: 'accept-answer',
  answerSdp: answer.sdp,
  ...(answer.sas ? { peerSecret: answer.sas } : {}),
});
