// The first exchange (and the one that carries a lost session on over a new connection), from gathering to
// connected, plus the transitions every state shares. Pure, like session.ts, which routes events here.

import { type CarriedCall, carriedCall, recall } from '../call/call.ts';
import { type ByeReason, byeMessage, KEEPALIVE_INTERVAL_MS, PEER_SILENCE_MS } from '../inband/control.ts';
import type { Role } from '../inband/neg-model.ts';
import { liveFor, resend } from '../link/live.ts';
import { type ChatLog, EMPTY_CHAT } from '../model/chat.ts';
import type {
  Carried,
  CloseReason,
  Command,
  FailReason,
  SessionEvent,
  SessionState,
  StateKind,
  TimerId,
  Transition,
} from '../model/types.ts';
import { onCommitted, priorOf, sasAtConnect, withAnswer, withLocal } from './sas.ts';

/**
 * How long after applying the answer the offerer waits for the channel. A passive answerer makes late answers
 * work almost everywhere; where one still cannot (Firefox↔Firefox with mDNS candidates), the offerer must say
 * so within this time, so the person can redo the exchange in one tap.
 */
export const LATE_ANSWER_DEADLINE_MS = 10_000;
/** An answer applied this long after the offer was made counts as late (a code carried by email, say). */
export const LATE_ANSWER_MS = 30_000;

export type StateOf<K extends StateKind> = Extract<SessionState, { kind: K }>;

export const NONE: readonly Command[] = [];
export const CLOSE: Command = { type: 'close' };
export const ignore = (state: SessionState): Transition => ({ state, commands: NONE });
export const startTimer = (id: TimerId, ms: number): Command => ({ type: 'start-timer', id, ms });
export const cancelTimer = (id: TimerId): Command => ({ type: 'cancel-timer', id });
/** Every answer from the peer to a message of ours (pong, ack) restarts the silence timer (control.ts). */
export const HEARD = startTimer('silence', PEER_SILENCE_MS);

export const iceUp = (ice: RTCIceConnectionState): boolean => ice === 'connected' || ice === 'completed';

const farewell = (bye?: ByeReason): Command[] =>
  bye === undefined ? [] : [{ type: 'send', message: byeMessage(bye) }];

/** Commands that release what a state holds; with a bye reason, a connected peer is told first. */
export function teardown(state: SessionState, bye?: ByeReason): Command[] {
  switch (state.kind) {
    case 'gathering':
    case 'offer-ready':
    case 'answer-ready':
      return [CLOSE];
    case 'connecting':
      return [cancelTimer('connect-deadline'), CLOSE];
    case 'connected':
      return [cancelTimer('keepalive'), cancelTimer('silence'), ...farewell(bye), CLOSE];
    case 'closed':
      // A resumable session still holds its connection and pings (one direction may still carry).
      return state.resume === undefined ? [] : [cancelTimer('keepalive'), ...farewell(bye), CLOSE];
    default:
      return [];
  }
}

/** The chat a state holds: a live or ended session's, or the one a new connection carries on. */
export function chatOf(state: SessionState): ChatLog | undefined {
  switch (state.kind) {
    case 'idle':
    case 'failed':
      return undefined;
    default:
      return state.chat;
  }
}

export const withChat = (state: SessionState, chat: ChatLog): SessionState =>
  state.kind === 'idle' || state.kind === 'failed' ? state : { ...state, chat };

/** The call that was going on: in a live or resumable session, when the connection was lost, or carried. */
function lostCallOf(state: SessionState): CarriedCall | undefined {
  switch (state.kind) {
    case 'connected':
      return carriedCall(state.live.call);
    case 'closed':
      return state.lostCall ?? (state.resume === undefined ? undefined : carriedCall(state.resume.live.call));
    case 'idle':
    case 'failed':
      return undefined;
    default:
      return state.lostCall;
  }
}

/** The Carried part for the next state of an exchange: the same chat, if any, and a call to make again. */
export function carry(state: SessionState): Carried {
  const chat = chatOf(state);
  const lostCall = lostCallOf(state);
  // A carried-on session's words and fingerprints: only with its chat (a fresh exchange has neither).
  const prior = chat === undefined ? undefined : priorOf(state);
  return {
    ...(chat === undefined ? {} : { chat }),
    ...(lostCall === undefined ? {} : { lostCall }),
    ...(prior === undefined ? {} : { prior }),
  };
}

/** carry() and this exchange's safety-word secrets. */
const carryAll = (state: SessionState): Carried => {
  const sas =
    state.kind === 'idle' || state.kind === 'failed' || state.kind === 'closed' || state.kind === 'connected'
      ? undefined
      : state.sas;
  return { ...carry(state), ...(sas === undefined ? {} : { sas }) };
};

export function closed(from: SessionState, reason: CloseReason, bye?: ByeReason): Transition {
  const lostCall = reason === 'connection-lost' ? lostCallOf(from) : undefined;
  const prior = reason === 'connection-lost' ? priorOf(from) : undefined;
  return {
    state: {
      kind: 'closed',
      reason,
      chat: chatOf(from) ?? EMPTY_CHAT,
      ...(lostCall ? { lostCall } : {}),
      ...(prior ? { prior } : {}),
    },
    commands: teardown(from, bye),
  };
}

/**
 * A failed first exchange shows why; a failed attempt to carry a session on goes back to 'connection lost'
 * with its chat, where another reconnect code can be made.
 */
export function failed(from: SessionState, role: Role, reason: FailReason, detail: string): Transition {
  if (from.kind !== 'connected' && chatOf(from) !== undefined) return closed(from, 'connection-lost');
  return { state: { kind: 'failed', role, reason, detail }, commands: teardown(from) };
}

export function connected(from: SessionState, role: Role, since: number): Transition {
  const cancel = from.kind === 'connecting' ? [cancelTimer('connect-deadline')] : [];
  const chat = chatOf(from) ?? EMPTY_CHAT;
  // A call carried on: the device that offered this connection calls again; the other waits for that invite.
  const lostCall = lostCallOf(from) ?? null;
  const again = lostCall !== null && role === 'offerer' ? recall(lostCall) : null;
  const fresh = liveFor(role);
  const live = { ...fresh, call: again?.state ?? fresh.call, resumeCall: lostCall };
  const secrets =
    from.kind === 'idle' || from.kind === 'failed' || from.kind === 'closed' || from.kind === 'connected'
      ? undefined
      : from;
  const sas = sasAtConnect(secrets?.sas, secrets?.prior, role);
  const state: SessionState = {
    kind: 'connected',
    role,
    since,
    peer: null,
    chat,
    live,
    sas: sas.sas,
    fingerprints: sas.fingerprints,
    verified: sas.verified,
  };
  // A new connection that carries the session on with another certificate is not the same peer: stop.
  if (sas.changed) return closed(state, 'certificate-changed', 'rejected');
  return {
    state,
    commands: [
      ...sas.commands,
      ...cancel,
      { type: 'send-hello' },
      startTimer('keepalive', KEEPALIVE_INTERVAL_MS),
      startTimer('silence', PEER_SILENCE_MS),
      // A session carried on by a new connection: what the old one did not deliver goes out again.
      ...resend(chat),
      ...(again?.commands ?? []),
    ],
  };
}

export function onGathering(state: StateOf<'gathering'>, event: SessionEvent): Transition {
  if (event.type === 'gathered') {
    const kind = state.role === 'offerer' ? 'offer-ready' : 'answer-ready';
    const sas = withLocal(state.sas, state.role, event.sdp);
    return {
      state: { kind, sdp: event.sdp, createdAt: event.at, ...carry(state), ...(sas ? { sas } : {}) },
      commands: NONE,
    };
  }
  if (event.type === 'digested') return onCommitted(state, event);
  if (event.type !== 'effect-failed') return ignore(state);
  if (event.op === 'gather') return failed(state, state.role, 'gather-failed', event.detail);
  if (event.op === 'apply-offer' && state.role === 'answerer') {
    return failed(state, state.role, 'bad-offer', event.detail);
  }
  return ignore(state);
}

function withAnswerSas(
  state: StateOf<'offer-ready'>,
  answerSdp: string,
  peer?: Uint8Array,
): StateOf<'offer-ready'> {
  const sas = withAnswer(state.sas, answerSdp, peer);
  return sas === undefined ? state : { ...state, sas };
}

export function onOfferReady(state: StateOf<'offer-ready'>, event: SessionEvent): Transition {
  if (event.type === 'digested') return onCommitted(state, event);
  if (event.type !== 'accept-answer') return ignore(state);
  return {
    state: {
      kind: 'connecting',
      role: 'offerer',
      since: event.at,
      answerLateBy: event.at - state.createdAt,
      ...carryAll(withAnswerSas(state, event.answerSdp, event.peerSecret)),
    },
    commands: [
      { type: 'apply-answer', answerSdp: event.answerSdp },
      startTimer('connect-deadline', LATE_ANSWER_DEADLINE_MS),
    ],
  };
}

export function onAnswerReady(state: StateOf<'answer-ready'>, event: SessionEvent): Transition {
  // The answerer is the passive DTLS side: it waits, possibly for many minutes, until the offerer applies
  // the answer. Only progress counts here; an ICE 'failed' before then is not final (the offerer's checks
  // can still arrive), and the offerer is the side that detects a dead late answer. A DTLS failure over a working
  // path is final, though: the offerer's checks came, and the handshake on top of them was refused (the terminal
  // peer's libdatachannel can check our certificate before it has stored our answer). Waiting on would leave the
  // person looking at a code that can no longer connect.
  if (event.type === 'channel-open') return connected(state, 'answerer', event.at);
  if (event.type === 'connection-state' && event.state === 'failed' && iceUp(event.ice))
    return failed(state, 'answerer', 'dtls-failed', 'the secure handshake failed');
  if (event.type === 'connection-state' && event.state === 'connected') {
    return {
      state: { kind: 'connecting', role: 'answerer', since: event.at, ...carryAll(state) },
      commands: [startTimer('connect-deadline', LATE_ANSWER_DEADLINE_MS)],
    };
  }
  return ignore(state);
}

export function onConnecting(state: StateOf<'connecting'>, event: SessionEvent): Transition {
  switch (event.type) {
    case 'channel-open':
      return connected(state, state.role, event.at);
    case 'connection-state': {
      if (event.state !== 'failed') return ignore(state);
      // The offerer waits for its deadline: measured with a Firefox answerer and a late answer, Chromium
      // reports 'failed' for a few ms and then connects.
      if (state.role === 'offerer') return ignore(state);
      // ICE reached the peer, so what failed is the DTLS handshake on top of it.
      return iceUp(event.ice)
        ? failed(state, state.role, 'dtls-failed', 'the secure handshake failed')
        : failed(state, state.role, 'ice-failed', 'no network path to the other device');
    }
    case 'timer':
      if (event.id !== 'connect-deadline') return ignore(state);
      if (state.role === 'answerer') {
        return failed(state, 'answerer', 'channel-failed', 'connected, but the data channel did not open');
      }
      // A late answer that does not connect is a browser that stopped waiting: the remedy is a fresh exchange.
      // A prompt one is a network problem.
      return (state.answerLateBy ?? 0) > LATE_ANSWER_MS
        ? failed(
            state,
            'offerer',
            'late-answer-expired',
            `not connected ${LATE_ANSWER_DEADLINE_MS / 1000} s after applying the answer`,
          )
        : failed(state, 'offerer', 'ice-failed', 'no network path to the other device');
    case 'effect-failed':
      return event.op === 'apply-answer' && state.role === 'offerer'
        ? failed(state, state.role, 'bad-answer', event.detail)
        : ignore(state);
    default:
      return ignore(state);
  }
}
