// The session as a pure reducer: (state, event) → next state + commands for the runner.
// No clock, no I/O, no randomness: events carry the times and ids. Events that make no sense in a state are
// ignored (the same state object comes back with no commands), so a late or duplicate effect result is harmless.

import { addLocal, addRemote, type ChatLog, EMPTY_CHAT, markDelivered } from './chat.ts';
import {
  ackMessage,
  type ByeReason,
  byeMessage,
  chatMessage,
  KEEPALIVE_INTERVAL_MS,
  PEER_SILENCE_MS,
  PING,
  PONG,
} from './control.ts';
import { liveFor, onLive, reviveOnMessage } from './live.ts';
import type {
  CloseReason,
  Command,
  FailReason,
  Role,
  SessionEvent,
  SessionState,
  StateKind,
  TimerId,
  Transition,
} from './types.ts';

/**
 * How long after applying the answer the offerer waits for the channel. A passive answerer makes late answers
 * work almost everywhere; where one still cannot (Firefox↔Firefox with mDNS candidates), the offerer must say
 * so within this time, so the person can redo the exchange in one tap.
 */
export const LATE_ANSWER_DEADLINE_MS = 10_000;
/** An answer applied this long after the offer was made counts as late (a code carried by email, say). */
export const LATE_ANSWER_MS = 30_000;

export const INITIAL_STATE: SessionState = { kind: 'idle' };

type StateOf<K extends StateKind> = Extract<SessionState, { kind: K }>;

const NONE: readonly Command[] = [];
const CLOSE: Command = { type: 'close' };
const ignore = (state: SessionState): Transition => ({ state, commands: NONE });
const startTimer = (id: TimerId, ms: number): Command => ({ type: 'start-timer', id, ms });
const cancelTimer = (id: TimerId): Command => ({ type: 'cancel-timer', id });
/** Every message from the peer restarts the silence timer. */
const HEARD = startTimer('silence', PEER_SILENCE_MS);

const iceUp = (ice: RTCIceConnectionState): boolean => ice === 'connected' || ice === 'completed';

/** A new exchange may begin from these; elsewhere the person must hang up or reset first. */
const CAN_BEGIN: ReadonlySet<StateKind> = new Set([
  'idle',
  'offer-ready',
  'answer-ready',
  'closed',
  'failed',
]);
/** States that hold a connection attempt that hangup can end. */
const CAN_HANG_UP: ReadonlySet<StateKind> = new Set([
  'gathering',
  'offer-ready',
  'answer-ready',
  'connecting',
  'connected',
]);

/** Commands that release what a state holds; with a bye reason, a connected peer is told first. */
function teardown(state: SessionState, bye?: ByeReason): Command[] {
  switch (state.kind) {
    case 'gathering':
    case 'offer-ready':
    case 'answer-ready':
      return [CLOSE];
    case 'connecting':
      return [cancelTimer('connect-deadline'), CLOSE];
    case 'connected': {
      const farewell: Command[] = bye === undefined ? [] : [{ type: 'send', message: byeMessage(bye) }];
      return [cancelTimer('keepalive'), cancelTimer('silence'), ...farewell, CLOSE];
    }
    case 'closed':
      // A resumable session still holds its connection and pings.
      return state.resume === undefined ? [] : [cancelTimer('keepalive'), CLOSE];
    default:
      return [];
  }
}

const chatOf = (state: SessionState): ChatLog => (state.kind === 'connected' ? state.chat : EMPTY_CHAT);

const closed = (from: SessionState, reason: CloseReason, bye?: ByeReason): Transition => ({
  state: { kind: 'closed', reason, chat: chatOf(from) },
  commands: teardown(from, bye),
});

const failed = (from: SessionState, role: Role, reason: FailReason, detail: string): Transition => ({
  state: { kind: 'failed', role, reason, detail },
  commands: teardown(from),
});

function connected(from: SessionState, role: Role, since: number): Transition {
  const cancel = from.kind === 'connecting' ? [cancelTimer('connect-deadline')] : [];
  return {
    state: { kind: 'connected', role, since, peer: null, chat: EMPTY_CHAT, live: liveFor(role) },
    commands: [
      ...cancel,
      { type: 'send-hello' },
      startTimer('keepalive', KEEPALIVE_INTERVAL_MS),
      startTimer('silence', PEER_SILENCE_MS),
    ],
  };
}

function onGathering(state: StateOf<'gathering'>, event: SessionEvent): Transition {
  if (event.type === 'gathered') {
    const kind = state.role === 'offerer' ? 'offer-ready' : 'answer-ready';
    return { state: { kind, sdp: event.sdp, createdAt: event.at }, commands: NONE };
  }
  if (event.type !== 'effect-failed') return ignore(state);
  if (event.op === 'gather') return failed(state, state.role, 'gather-failed', event.detail);
  if (event.op === 'apply-offer' && state.role === 'answerer') {
    return failed(state, state.role, 'bad-offer', event.detail);
  }
  return ignore(state);
}

function onOfferReady(state: StateOf<'offer-ready'>, event: SessionEvent): Transition {
  if (event.type !== 'accept-answer') return ignore(state);
  return {
    state: { kind: 'connecting', role: 'offerer', since: event.at, answerLateBy: event.at - state.createdAt },
    commands: [
      { type: 'apply-answer', answerSdp: event.answerSdp },
      startTimer('connect-deadline', LATE_ANSWER_DEADLINE_MS),
    ],
  };
}

function onAnswerReady(state: StateOf<'answer-ready'>, event: SessionEvent): Transition {
  // The answerer is the passive DTLS side: it waits, possibly for many minutes, until the offerer applies
  // the answer. Only progress counts here; an ICE 'failed' before then is not final (the offerer's checks
  // can still arrive), and the offerer is the side that detects a dead late answer.
  if (event.type === 'channel-open') return connected(state, 'answerer', event.at);
  if (event.type === 'connection-state' && event.state === 'connected') {
    return {
      state: { kind: 'connecting', role: 'answerer', since: event.at },
      commands: [startTimer('connect-deadline', LATE_ANSWER_DEADLINE_MS)],
    };
  }
  return ignore(state);
}

function onConnecting(state: StateOf<'connecting'>, event: SessionEvent): Transition {
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

function onMessage(
  state: StateOf<'connected'>,
  event: Extract<SessionEvent, { type: 'message' }>,
): Transition {
  const { message } = event;
  switch (message.t) {
    case 'hello':
      return {
        state: { ...state, peer: { app: message.app, features: message.features } },
        commands: [HEARD],
      };
    case 'chat': {
      const chat = addRemote(state.chat, message.id, message.text, message.ts, event.at);
      // Acknowledge even a duplicate: the earlier ack may have been lost.
      return {
        state: { ...state, chat },
        commands: [HEARD, { type: 'send', message: ackMessage(message.id) }],
      };
    }
    case 'ack': {
      const chat = markDelivered(state.chat, message.id);
      return { state: chat === state.chat ? state : { ...state, chat }, commands: [HEARD] };
    }
    case 'ping':
      return { state, commands: [HEARD, { type: 'send', message: PONG }] };
    case 'bye':
      return message.reason === 'rejected'
        ? failed(state, state.role, 'remote-rejected', 'the other device refused the connection')
        : closed(state, 'remote-hangup');
    default:
      // pong, and types from a newer protocol: only a sign of life.
      return { state, commands: [HEARD] };
  }
}

function onConnected(state: StateOf<'connected'>, event: SessionEvent): Transition {
  // ICE failing with DTLS up is not a network change: the secure session itself is gone.
  const dtlsLost = event.type === 'connection-state' && event.state === 'failed' && iceUp(event.ice);
  const live = dtlsLost ? null : onLive(state, event);
  if (live !== null) return live;
  switch (event.type) {
    case 'send-chat': {
      const message = chatMessage(event.id, event.text, event.at);
      if (!message.ok) return ignore(state);
      const chat = addLocal(state.chat, event.id, message.value.text, event.at);
      return { state: { ...state, chat }, commands: [{ type: 'send', message: message.value }] };
    }
    case 'message':
      return reviveOnMessage(onMessage(state, event));
    case 'message-invalid':
      return reviveOnMessage({ state, commands: [HEARD] });
    case 'timer':
      if (event.id === 'keepalive') {
        return {
          state,
          commands: [{ type: 'send', message: PING }, startTimer('keepalive', KEEPALIVE_INTERVAL_MS)],
        };
      }
      if (event.id !== 'silence') return ignore(state);
      // Nothing heard for PEER_SILENCE_MS: say so, but keep the connection (and pinging) so that a reconnect
      // code, or the peer being heard again, resumes the session with its chat and call.
      return {
        state: {
          kind: 'closed',
          reason: 'peer-gone',
          chat: state.chat,
          resume: {
            role: state.role,
            since: state.since,
            peer: state.peer,
            live: { ...state.live, link: 'down' },
          },
        },
        commands: NONE,
      };
    case 'channel-closed':
      // On a healthy link a clean close is the peer leaving (a closed Firefox tab sometimes closes its
      // transport before our bye arrives). On a failing one it is the network: Firefox closes its channels
      // when its last path vanishes (measured: 1 ms after connectionState 'failed').
      return closed(state, state.live.link === 'up' ? 'remote-hangup' : 'connection-lost');
    case 'connection-state':
      // 'disconnected' and an ICE 'failed' are live.ts's (restart); DTLS failed or closed ends the session.
      return event.state === 'failed' || event.state === 'closed'
        ? closed(state, 'connection-lost')
        : ignore(state);
    default:
      return ignore(state);
  }
}

/** A silent peer's session: events run as if connected; it stays closed until the link is up again. */
function onResumable(
  state: StateOf<'closed'>,
  resume: NonNullable<StateOf<'closed'>['resume']>,
  event: SessionEvent,
) {
  const held: StateOf<'connected'> = { kind: 'connected', ...resume, chat: state.chat };
  const result = reduce(held, event);
  const next = result.state;
  if (next === held)
    return result.commands.length === 0 ? ignore(state) : { state, commands: result.commands };
  // Back to connected once the link is up and no reconnect code is still on screen (the person must be able
  // to carry our answer back, and the offerer waits for it before its ICE can come up).
  const codeDone =
    next.kind === 'connected' && next.live.neg.code === null && next.live.neg.phase !== 'code-offer';
  if (next.kind !== 'connected' || (next.live.link === 'up' && codeDone)) return result;
  const { kind: _, chat, ...rest } = next;
  return { state: { ...state, chat, resume: rest }, commands: result.commands };
}

export function reduce(state: SessionState, event: SessionEvent): Transition {
  const fresh = event.type === 'start' || event.type === 'join' || event.type === 'reset';
  if (state.kind === 'closed' && state.resume !== undefined && !fresh)
    return onResumable(state, state.resume, event);
  switch (event.type) {
    case 'start':
      if (!CAN_BEGIN.has(state.kind)) return ignore(state);
      return {
        state: { kind: 'gathering', role: 'offerer' },
        commands: [...teardown(state), { type: 'create-offer' }],
      };
    case 'join':
      if (!CAN_BEGIN.has(state.kind)) return ignore(state);
      return {
        state: { kind: 'gathering', role: 'answerer' },
        commands: [...teardown(state), { type: 'apply-offer-and-answer', offerSdp: event.offerSdp }],
      };
    case 'hangup':
      return CAN_HANG_UP.has(state.kind) ? closed(state, 'local-hangup', 'hangup') : ignore(state);
    case 'reset':
      return state.kind === 'idle'
        ? ignore(state)
        : { state: INITIAL_STATE, commands: teardown(state, 'hangup') };
    default:
      break;
  }
  switch (state.kind) {
    case 'gathering':
      return onGathering(state, event);
    case 'offer-ready':
      return onOfferReady(state, event);
    case 'answer-ready':
      return onAnswerReady(state, event);
    case 'connecting':
      return onConnecting(state, event);
    case 'connected':
      return onConnected(state, event);
    default:
      // idle, closed and failed only react to the intents handled above.
      return ignore(state);
  }
}
