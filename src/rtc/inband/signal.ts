// In-band messages for everything after the first exchange: session descriptions and candidates (perfect
// negotiation), calls, and the sender's media state. Same protocol v1: an older peer answers an unknown `t`
// with 'unknown-type' and otherwise carries on, so these never break a session with an older build.

import { type Fields, field } from '../base/json.ts';
import { err, ok, type Result } from '../base/result.ts';
import { candidateProblem } from './candidate.ts';

/** A video offer with many codecs is 5–7 kB; this leaves room and still bounds a hostile peer. */
export const MAX_SDP_CHARS = 32 * 1024;
export const MAX_CANDIDATE_CHARS = 1_024;
export const MAX_MID_CHARS = 32;
/** RFC 8839 allows 4–256 ice-chars. */
export const MAX_UFRAG_CHARS = 256;
export const MAX_CALL_ID_CHARS = 64;
/** Reconnect generations: bumped by every exchange of reconnect codes (see negotiation.ts). */
export const MAX_GEN = 1_000_000;

const V = 1 as const;

export interface DescMessage {
  readonly v: typeof V;
  readonly t: 'desc';
  readonly kind: 'offer' | 'answer';
  readonly sdp: string;
  /** An offer made with iceRestart: the polite side's own pending restart is then satisfied. */
  readonly restart: boolean;
  readonly gen: number;
}
/** One ICE candidate as it travels in-band and reaches addIceCandidate. */
export interface CandidateFields {
  /** The candidate line; '' marks the end of candidates. */
  readonly cand: string;
  readonly mid: string | null;
  readonly mline: number | null;
  /**
   * The ICE generation's username fragment. Without it a browser files a candidate under whatever remote
   * description it has, so one that overtakes a restart's description joins the old ICE session. Absent from
   * older builds: null.
   */
  readonly ufrag: string | null;
}
export interface CandMessage extends CandidateFields {
  readonly v: typeof V;
  readonly t: 'cand';
  readonly gen: number;
}
export type CallOp = 'invite' | 'accept' | 'decline' | 'end';
export interface CallMessage {
  readonly v: typeof V;
  readonly t: 'call';
  readonly op: CallOp;
  readonly id: string;
  readonly video: boolean;
}
/** What the sender is sending right now: the receiver shows "muted" / "camera off". */
export interface MediaMessage {
  readonly v: typeof V;
  readonly t: 'media';
  readonly mic: boolean;
  readonly cam: boolean;
}

/** The Starter asks the Joiner to restart ICE (restarts are always offered by the Joiner: see negotiation.ts). */
export interface RestartMessage {
  readonly v: typeof V;
  readonly t: 'restart';
  /**
   * A person asked (session/move.ts): move to a new connection if the link carries. Absent: the Starter's ICE
   * failed, so restart ICE; such a request can arrive late, after the link came back, and must not move then.
   * Older builds ignore the field and restart ICE.
   */
  readonly move?: true;
}

/**
 * The peer's offer could not be applied or answered (setRemoteDescription or createAnswer failed): the offerer
 * rolls it back instead of waiting for an answer that will not come, which would block every later change.
 */
export interface RefusedMessage {
  readonly v: typeof V;
  readonly t: 'refused';
  readonly gen: number;
}

/**
 * Make-before-break: a new connection for this session, negotiated over the old one while it still carries
 * (move.ts). 'drop' takes an unfinished move back. `id` ties the three together.
 */
export interface MoveMessage {
  readonly v: typeof V;
  readonly t: 'move';
  readonly kind: 'offer' | 'answer' | 'drop';
  readonly id: string;
  /** The new connection's complete (non-trickle) description; '' for 'drop'. */
  readonly sdp: string;
}

export type SignalMessage =
  | MoveMessage
  | DescMessage
  | CandMessage
  | CallMessage
  | MediaMessage
  | RestartMessage
  | RefusedMessage;

export const descMessage = (
  kind: 'offer' | 'answer',
  sdp: string,
  restart: boolean,
  gen: number,
): DescMessage => ({ v: V, t: 'desc', kind, sdp, restart, gen });
export const candMessage = (
  cand: string,
  mid: string | null,
  mline: number | null,
  gen: number,
  ufrag: string | null = null,
): CandMessage => ({ v: V, t: 'cand', cand, mid, mline, gen, ufrag });
export const callMessage = (op: CallOp, id: string, video: boolean): CallMessage => ({
  v: V,
  t: 'call',
  op,
  id,
  video,
});
export const RESTART: RestartMessage = { v: V, t: 'restart' };
export const RESTART_BY_PERSON: RestartMessage = { v: V, t: 'restart', move: true };
export const moveMessage = (kind: MoveMessage['kind'], id: string, sdp = ''): MoveMessage => ({
  v: V,
  t: 'move',
  kind,
  id,
  sdp,
});
export const MAX_MOVE_ID_CHARS = 64;
export const refusedMessage = (gen: number): RefusedMessage => ({ v: V, t: 'refused', gen });
export const mediaMessage = (mic: boolean, cam: boolean): MediaMessage => ({ v: V, t: 'media', mic, cam });

export type SignalError = { readonly kind: 'bad-field'; readonly type: string; readonly field: string };

const isGen = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_GEN;
const isString = (value: unknown, max: number, min = 0): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;
const CALL_OPS: readonly CallOp[] = ['invite', 'accept', 'decline', 'end'];

/** Parses one of this module's types; undefined when `t` is not one of them. */
export function parseSignal(t: string, record: Fields): Result<SignalMessage, SignalError> | undefined {
  const bad = (name: string) => err({ kind: 'bad-field' as const, type: t, field: name });
  switch (t) {
    case 'desc': {
      const kind = field(record, 'kind');
      const sdp = field(record, 'sdp');
      const restart = field(record, 'restart');
      const gen = field(record, 'gen');
      if (kind !== 'offer' && kind !== 'answer') return bad('kind');
      if (!isString(sdp, MAX_SDP_CHARS, 1) || !sdp.startsWith('v=0')) return bad('sdp');
      if (typeof restart !== 'boolean') return bad('restart');
      if (!isGen(gen)) return bad('gen');
      return ok(descMessage(kind, sdp, restart, gen));
    }
    case 'cand': {
      const cand = field(record, 'cand');
      const mid = field(record, 'mid');
      const mline = field(record, 'mline');
      const gen = field(record, 'gen');
      // Checked by shape and address: each one makes the browser send checks to what it names.
      if (!isString(cand, MAX_CANDIDATE_CHARS) || candidateProblem(cand) !== null) return bad('cand');
      if (mid !== null && !isString(mid, MAX_MID_CHARS)) return bad('mid');
      if (mline !== null && !(typeof mline === 'number' && Number.isSafeInteger(mline) && mline >= 0))
        return bad('mline');
      if (!isGen(gen)) return bad('gen');
      const ufrag = field(record, 'ufrag') ?? null;
      if (ufrag !== null && !isString(ufrag, MAX_UFRAG_CHARS, 1)) return bad('ufrag');
      return ok(candMessage(cand, mid, mline, gen, ufrag));
    }
    case 'call': {
      const op = field(record, 'op');
      const id = field(record, 'id');
      const video = field(record, 'video');
      const known = CALL_OPS.find((o) => o === op);
      if (known === undefined) return bad('op');
      if (!isString(id, MAX_CALL_ID_CHARS, 1)) return bad('id');
      if (typeof video !== 'boolean') return bad('video');
      return ok(callMessage(known, id, video));
    }
    case 'media': {
      const mic = field(record, 'mic');
      const cam = field(record, 'cam');
      if (typeof mic !== 'boolean') return bad('mic');
      if (typeof cam !== 'boolean') return bad('cam');
      return ok(mediaMessage(mic, cam));
    }
    case 'restart':
      return ok(field(record, 'move') === true ? RESTART_BY_PERSON : RESTART);
    case 'move': {
      const kind = field(record, 'kind');
      const id = field(record, 'id');
      const sdp = field(record, 'sdp');
      if (kind !== 'offer' && kind !== 'answer' && kind !== 'drop') return bad('kind');
      if (!isString(id, MAX_MOVE_ID_CHARS, 1)) return bad('id');
      if (kind === 'drop' ? sdp !== '' : !isString(sdp, MAX_SDP_CHARS, 1) || !sdp.startsWith('v=0'))
        return bad('sdp');
      return ok(moveMessage(kind, id, sdp as string));
    }
    case 'refused': {
      const gen = field(record, 'gen');
      return isGen(gen) ? ok(refusedMessage(gen)) : bad('gen');
    }
    default:
      return undefined;
  }
}
