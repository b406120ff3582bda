// The safety words in the session (docs/safety-words.md): the secrets ride the exchange from the first code to
// connected, then the offerer reveals its secret and both sides show the same symbols, unless someone sits in
// the middle. Pure: the secrets come in with the events, and every hash is a 'digest' command whose result
// comes back as a 'digested' event (the runner hashes with WebCrypto).

import { certificateOf, commitInput, commitOf, sameBytes, symbolsOf, wordsInput } from '../base/sas.ts';
import type { Role } from '../inband/neg-model.ts';
import { type RevealMessage, revealedSecret, revealMessage, VERIFIED } from '../inband/verify.ts';
import type {
  Command,
  DigestPurpose,
  Fingerprints,
  PriorSas,
  SasSecrets,
  SasState,
  SessionEvent,
  SessionState,
  Transition,
  Verified,
} from '../model/types.ts';
import { closed, ignore } from './exchange.ts';

type Connected = Extract<SessionState, { kind: 'connected' }>;
type Join = Extract<SessionEvent, { type: 'join' }>;
type Digested = Extract<SessionEvent, { type: 'digested' }>;
type Exchanging = Extract<
  SessionState,
  { kind: 'gathering' | 'offer-ready' | 'answer-ready' | 'connecting' }
>;

export const UNVERIFIABLE: SasState = { kind: 'unverifiable' };

const NO_SECRET = new Uint8Array(0);
const digest = (purpose: DigestPurpose, data: Uint8Array): Command => ({ type: 'digest', purpose, data });

/**
 * The offerer's inputs, from its secret (none: unverifiable, its code carries no commitment; the certificates
 * are still followed, so a carried-on session can check them). The commitment is hashed by commitCommands.
 */
export function offererSas(secret: Uint8Array | undefined): SasSecrets {
  return { own: secret ?? NO_SECRET, commit: null, peer: null, offerFp: null, answerFp: null };
}

/** The offerer's commitment, hashed by the runner while its offer is gathered. */
export const commitCommands = (sas: SasSecrets): Command[] =>
  sas.own.length === 0 ? [] : [digest('sas-commit', commitInput(sas.own))];

/** The answerer's inputs: the offer's commitment, our secret, the offer's certificate as applied. */
export function answererSas(event: Join): SasSecrets {
  return {
    own: event.secret ?? NO_SECRET,
    commit: event.secret === undefined ? null : (event.commit ?? null),
    peer: null,
    offerFp: certificateOf(event.offerSdp),
    answerFp: null,
  };
}

/** Our own description gathered: its certificate is ours in the derivation. */
export function withLocal(sas: SasSecrets | undefined, role: Role, sdp: string): SasSecrets | undefined {
  if (sas === undefined) return undefined;
  const fp = certificateOf(sdp);
  return role === 'offerer' ? { ...sas, offerFp: fp } : { ...sas, answerFp: fp };
}

/** Offerer: the answer applied, with the secret its code carried. */
export function withAnswer(
  sas: SasSecrets | undefined,
  answerSdp: string,
  peer?: Uint8Array,
): SasSecrets | undefined {
  if (sas === undefined) return undefined;
  return { ...sas, answerFp: certificateOf(answerSdp), peer: peer ?? null };
}

/** The offerer's commitment hashed (before connected); without WebCrypto the session goes unverifiable. */
export function onCommitted(state: Exchanging, event: Digested): Transition {
  const sas = state.sas;
  const expected = sas && sas.own.length > 0 && sas.commit === null ? commitInput(sas.own) : null;
  if (event.purpose !== 'sas-commit' || expected === null || !sameBytes(event.data, expected))
    return ignore(state);
  const next =
    event.digest === null ? { ...sas, own: NO_SECRET } : { ...sas, commit: commitOf(event.digest) };
  return { state: { ...state, sas: next } as SessionState, commands: [] };
}

/**
 * What the code on screen must carry: the offer its commitment, the answer our secret (only when the offer had a
 * commitment); 'pending' while the commitment is being hashed (the code waits); null for none.
 */
export function codeField(state: SessionState): Uint8Array | 'pending' | null {
  if (state.kind !== 'offer-ready' && state.kind !== 'answer-ready') return null;
  const sas = state.sas;
  if (sas === undefined || sas.own.length === 0) return null;
  if (state.kind === 'answer-ready') return sas.commit === null ? null : sas.own;
  return sas.commit ?? 'pending';
}

function fingerprintsOf(sas: SasSecrets | undefined, role: Role): Fingerprints | null {
  if (!sas?.offerFp || !sas.answerFp) return null;
  return role === 'offerer'
    ? { local: sas.offerFp, remote: sas.answerFp }
    : { local: sas.answerFp, remote: sas.offerFp };
}

/** What the words are hashed from, once both secrets are known (offerer's reveal, answerer's secret). */
function wordsOf(secrets: SasSecrets, role: Role, revealed: Uint8Array): Uint8Array | null {
  const answerSecret = role === 'offerer' ? secrets.peer : secrets.own;
  if (!secrets.offerFp || !secrets.answerFp || answerSecret === null || answerSecret.length === 0)
    return null;
  return wordsInput({
    offerFingerprint: secrets.offerFp,
    answerFingerprint: secrets.answerFp,
    offerSecret: revealed,
    answerSecret,
  });
}

export interface SasAtConnect {
  readonly sas: SasState;
  readonly fingerprints: Fingerprints | null;
  readonly verified: Verified | null;
  readonly commands: readonly Command[];
  /** A carried-on session whose new connection presents another certificate: it must stop. */
  readonly changed: boolean;
}

/**
 * The channel opened. A first connection: the offerer reveals its secret and has its words hashed; the answerer
 * waits for the reveal. A connection that carries a session on keeps the session's words and verification, if
 * the certificates are the same as before.
 */
export function sasAtConnect(
  sas: SasSecrets | undefined,
  prior: PriorSas | undefined,
  role: Role,
): SasAtConnect {
  const fingerprints = fingerprintsOf(sas, role);
  if (prior !== undefined) {
    const was = prior.fingerprints;
    const changed =
      was !== null &&
      (fingerprints === null || fingerprints.local !== was.local || fingerprints.remote !== was.remote);
    return { ...prior, commands: [], changed };
  }
  const none = { sas: UNVERIFIABLE, fingerprints, verified: null, commands: [], changed: false };
  if (!sas?.commit || sas.own.length === 0 || !sas.offerFp || !sas.answerFp) return none;
  if (role === 'answerer') return { ...none, sas: { kind: 'waiting', secrets: sas, revealed: null } };
  const reveal: Command = { type: 'send', message: revealMessage(sas.own) };
  const words = wordsOf(sas, role, sas.own);
  // The answer code carried no secret (another tool, a fallback form): nothing to show, the reveal still goes.
  if (words === null) return { ...none, commands: [reveal] };
  return {
    ...none,
    sas: { kind: 'waiting', secrets: sas, revealed: sas.own },
    commands: [reveal, digest('sas-words', words)],
  };
}

/** The offerer's reveal arrived (answerer): its commitment is hashed, then checked (onDigested). */
function onReveal(state: Connected, message: RevealMessage): Transition {
  if (state.role !== 'answerer' || state.sas.kind !== 'waiting' || state.sas.revealed !== null)
    return ignore(state);
  const revealed = revealedSecret(message);
  return {
    state: { ...state, sas: { ...state.sas, revealed } },
    commands: [digest('sas-check', commitInput(revealed))],
  };
}

/** A hash came back: the answerer's check of the reveal, or either side's words. */
function onDigested(state: Connected, event: Digested): Transition {
  const sas = state.sas;
  if (sas.kind !== 'waiting' || sas.revealed === null) return ignore(state);
  const { secrets, revealed } = sas;
  if (event.purpose === 'sas-check' && state.role === 'answerer') {
    if (!sameBytes(event.data, commitInput(revealed))) return ignore(state);
    if (event.digest === null) return { state: { ...state, sas: UNVERIFIABLE }, commands: [] };
    // A reveal that does not open the offer's commitment: someone changed a code. Stop, and say why there.
    if (secrets.commit === null || !sameBytes(commitOf(event.digest), secrets.commit))
      return closed(state, 'reveal-refused', 'words-differ');
    const words = wordsOf(secrets, state.role, revealed);
    return words === null
      ? { state: { ...state, sas: UNVERIFIABLE }, commands: [] }
      : { state, commands: [digest('sas-words', words)] };
  }
  const words = wordsOf(secrets, state.role, revealed);
  if (event.purpose !== 'sas-words' || words === null || !sameBytes(event.data, words)) return ignore(state);
  const shown: SasState =
    event.digest === null
      ? UNVERIFIABLE
      : { kind: 'shown', symbols: symbolsOf(event.digest), remote: false, key: event.digest };
  return { state: { ...state, sas: shown }, commands: [] };
}

/** The safety words' events in a connected session; null for every other event. */
export function onSas(state: Connected, event: SessionEvent): Transition | null {
  switch (event.type) {
    case 'digested':
      return onDigested(state, event);
    case 'sas-match':
      if (state.sas.kind !== 'shown' || state.verified !== null) return ignore(state);
      return {
        state: { ...state, verified: 'by-person' },
        commands: [{ type: 'send', message: VERIFIED }],
      };
    case 'sas-differ':
      return closed(state, 'words-differ', 'words-differ');
    case 'message':
      if (event.message.t === 'reveal') return onReveal(state, event.message);
      if (event.message.t === 'verified') {
        if (state.sas.kind !== 'shown' || state.sas.remote) return ignore(state);
        return { state: { ...state, sas: { ...state.sas, remote: true } }, commands: [] };
      }
      if (event.message.t === 'bye' && event.message.reason === 'words-differ')
        return closed(state, state.sas.kind === 'waiting' ? 'reveal-refused' : 'words-differ');
      return null;
    default:
      return null;
  }
}

/** A move's new connection offers this SDP as the peer's: does it keep the session's certificate? */
export function sameRemote(state: Connected, sdp: string): boolean {
  return state.fingerprints === null || certificateOf(sdp) === state.fingerprints.remote;
}

/**
 * The key reconnect codes of this session are tagged with (its words' digest); 'pending' while a live
 * connection is still working the words out (the key is coming); null when none is known (no words for this
 * session, or its connection ended before they were shown).
 */
export function reconnectKey(state: SessionState): Uint8Array | 'pending' | null {
  if (state.kind === 'connected' && state.sas.kind === 'waiting') return 'pending';
  const sas = state.kind === 'connected' ? state.sas : priorOf(state)?.sas;
  return sas?.kind === 'shown' ? sas.key : null;
}

/** What a session being carried on keeps of its verification. */
export function priorOf(state: SessionState): PriorSas | undefined {
  switch (state.kind) {
    case 'connected':
      return { sas: state.sas, fingerprints: state.fingerprints, verified: state.verified };
    case 'closed': {
      const r = state.resume;
      return r ? { sas: r.sas, fingerprints: r.fingerprints, verified: r.verified } : state.prior;
    }
    case 'idle':
    case 'failed':
      return undefined;
    default:
      return state.prior;
  }
}
