// Room session/: the session reducer (this file) and its first exchange (exchange.ts); pure.
//
// The session as a pure reducer: (state, event) → next state + commands for the runner.
// No clock, no I/O, no randomness: events carry the times and ids. Events that make no sense in a state are
// ignored (the same state object comes back with no commands), so a late or duplicate effect result is harmless.

import { chatMessage, KEEPALIVE_INTERVAL_MS, PING } from '../inband/control.ts';
import { answered, onLive } from '../link/live.ts';
import { addLocal } from '../model/chat.ts';
import { heldConnection } from '../model/held.ts';
import type { SessionEvent, SessionState, StateKind, Transition } from '../model/types.ts';
import {
  carry,
  chatOf,
  closed,
  iceUp,
  ignore,
  NONE,
  onAnswerReady,
  onConnecting,
  onGathering,
  onOfferReady,
  type StateOf,
  startTimer,
  teardown,
  withChat,
} from './exchange.ts';
import { onMessage } from './messages.ts';
import { onMove } from './move.ts';
import { answererSas, commitCommands, offererSas, onSas } from './sas.ts';

export { LATE_ANSWER_DEADLINE_MS, LATE_ANSWER_MS } from './exchange.ts';

export const INITIAL_STATE: SessionState = { kind: 'idle' };

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

/**
 * Messages that answer one of ours: the peer hears this device. Only these keep the link alive (the silence
 * timer): with one direction down, the peer's own messages still arrive while ours are lost.
 */
const ANSWERS: ReadonlySet<string> = new Set(['pong', 'ack']);

function onConnected(state: StateOf<'connected'>, event: SessionEvent): Transition {
  // ICE failing with DTLS up is not a network change: the secure session itself is gone.
  const dtlsLost = event.type === 'connection-state' && event.state === 'failed' && iceUp(event.ice);
  const live = dtlsLost ? null : (onSas(state, event) ?? onMove(state, event) ?? onLive(state, event));
  if (live !== null) return live;
  switch (event.type) {
    case 'send-chat': {
      const message = chatMessage(event.id, event.text, event.at);
      if (!message.ok) return ignore(state);
      const chat = addLocal(state.chat, event.id, message.value.text, event.at);
      return { state: { ...state, chat }, commands: [{ type: 'send', message: message.value }] };
    }
    case 'message': {
      const result = onMessage(state, event);
      return ANSWERS.has(event.message.t) ? answered(result) : result;
    }
    case 'message-invalid':
      return ignore(state);
    case 'certificate-changed':
      // Someone other than the device this session was made with answered or offered: end it, and say so.
      return closed(state, 'certificate-changed', 'rejected');
    case 'timer':
      if (event.id === 'chat-limited') {
        const { chatLimited: _, ...quiet } = state;
        return { state: quiet, commands: NONE };
      }
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
            sas: state.sas,
            fingerprints: state.fingerprints,
            verified: state.verified,
          },
        },
        commands: NONE,
      };
    case 'channel-closed':
      // A hang-up always says bye first, so a close without one is never read as a hang-up: on a healthy link
      // the peer's page or browser went away unannounced (a killed Firefox closes its transport as it dies; a
      // closed Firefox tab sometimes does so before our bye arrives), which "stopped answering… may have
      // closed the page" says truthfully. On a failing link it is the network: Firefox closes its channels
      // when its last path vanishes (measured: 1 ms after connectionState 'failed').
      return closed(state, state.live.link === 'up' ? 'peer-gone' : 'connection-lost');
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

/**
 * States a new connection may carry on: a live or resumable session, one whose connection was lost, and an
 * exchange already carrying one on (both devices may have made a reconnect code).
 */
function canCarryOn(state: SessionState): boolean {
  if (state.kind === 'connected') return true;
  if (state.kind === 'closed') return state.resume !== undefined || state.reason === 'connection-lost';
  return chatOf(state) !== undefined;
}

/**
 * The connection of a live or resumable session has carried a call: its ICE restart offer holds every audio and
 * video section (measured: 1,756 characters after one call, a QR code no phone reads off a screen), while a new
 * connection's offer is compact and carries the session on just as well (the call is made again by itself).
 */
const carriedMedia = (state: SessionState): boolean => heldConnection(state)?.live.media === true;

export function reduce(state: SessionState, event: SessionEvent): Transition {
  const byNewConnection = event.type === 'make-reconnect-code' && carriedMedia(state);
  const fresh =
    event.type === 'start' ||
    event.type === 'join' ||
    event.type === 'reset' ||
    event.type === 'make-new-connection-code' ||
    byNewConnection;
  if (state.kind === 'closed' && state.resume !== undefined && !fresh)
    return onResumable(state, state.resume, event);
  switch (event.type) {
    case 'make-new-connection-code':
    case 'make-reconnect-code': {
      // With the connection gone (a resumable one is handled above, unless a new connection is asked for: the
      // fallback when restart codes do not bring the peer back), the code is a new connection's offer.
      const replaceable =
        byNewConnection ||
        (event.type === 'make-new-connection-code' && state.kind === 'closed' && canCarryOn(state));
      const lost =
        state.kind === 'closed' && state.reason === 'connection-lost' && state.resume === undefined;
      if (!replaceable && !lost) break;
      // The old connection may still carry one way: say it is being replaced, or its closing would read as a
      // hangup there.
      return {
        state: { kind: 'gathering', role: 'offerer', ...carry(state), sas: offererSas(undefined) },
        commands: [...teardown(state, 'new-connection'), { type: 'create-offer' }],
      };
    }
    case 'start': {
      if (!CAN_BEGIN.has(state.kind)) return ignore(state);
      const sas = offererSas(event.secret);
      return {
        state: { kind: 'gathering', role: 'offerer', sas },
        commands: [...teardown(state), { type: 'create-offer' }, ...commitCommands(sas)],
      };
    }
    case 'send-chat': {
      // Written while the connection is lost or being replaced: kept, and sent once the session is carried on.
      const chat = chatOf(state);
      if (chat === undefined || !canCarryOn(state) || state.kind === 'connected') break;
      const message = chatMessage(event.id, event.text, event.at);
      if (!message.ok) return ignore(state);
      return {
        state: withChat(state, addLocal(chat, event.id, message.value.text, event.at)),
        commands: NONE,
      };
    }
    case 'join': {
      const resume = event.resume === true;
      if (resume ? !canCarryOn(state) : !CAN_BEGIN.has(state.kind)) return ignore(state);
      // No bye: the peer's old connection is gone, and this one is being replaced, not hung up.
      return {
        state: {
          kind: 'gathering',
          role: 'answerer',
          ...(resume ? carry(state) : {}),
          sas: answererSas(event),
        },
        commands: [...teardown(state), { type: 'apply-offer-and-answer', offerSdp: event.offerSdp }],
      };
    }
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
