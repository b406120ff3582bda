// Room link/: the connected session's link: health and ICE restarts (this file), what carries it (stats.ts).
//
// The connected session's second half, pure like session.ts: in-band negotiation, calls, and link health
// (automatic ICE restart, the outbox of unacknowledged chat). session.ts hands the connected state's events here.
//
// Link health: ICE 'disconnected' waits RESTART_GRACE_MS (it often recovers by itself), then restarts ICE
// in-band; 'failed' restarts at once. The offer goes out on the data channel, which still carries if any path
// works. If the peer answers nothing of ours (pong, ack) for PEER_SILENCE_MS the link is 'down': nothing can be
// carried, and the UI offers a reconnect code. Whenever the link comes back, every chat message not yet
// acknowledged is sent again; the receiver keeps one copy per id and acknowledges each, so none is lost and none
// doubled.

import { type CallEvent, carryOn, NO_CALL } from '../call/call.ts';
import { chatMessage, MOVE_FEATURE, PEER_SILENCE_MS, PING, RESTART_FEATURE } from '../inband/control.ts';
import { type NegEvent, type NegState, negotiationFor, type Role } from '../inband/neg-model.ts';
import { negotiate } from '../inband/negotiation.ts';
import type { ChatLog } from '../model/chat.ts';
import type {
  Command,
  LinkState,
  LiveState,
  PathVerdict,
  SessionEvent,
  SessionState,
  Transition,
} from '../model/types.ts';
import { afterRestart, MAX_RESTART_RETRIES, PATH_RECHECK_MS, type RestartOutcome } from './check.ts';

export { MAX_RESTART_RETRIES };

/**
 * ICE 'disconnected' this long makes a restart: short, because Firefox closes its data channels once its ICE
 * goes 'failed' (~20 s later, at once after an earlier network change) and the restart travels over them.
 */
export const RESTART_GRACE_MS = 2_000;
/**
 * A carried call's re-invite is taken by itself only this soon after the new connection opened: the device that
 * offered it invites as it opens (exchange.ts connected), so a later invite with the old id rings like any call.
 */
export const REINVITE_WINDOW_MS = 30_000;

export const liveFor = (role: Role): LiveState => ({
  neg: negotiationFor(role),
  call: NO_CALL,
  link: 'up',
  mediaRev: 0,
  restarts: 0,
  conn: 'connected',
  retries: 0,
  checks: null,
  heard: true,
  resumeCall: null,
  media: false,
  move: null,
  moveSettling: false,
});

type Connected = Extract<SessionState, { kind: 'connected' }>;

const NEG_EVENTS: ReadonlySet<string> = new Set<NegEvent['type']>([
  'negotiation-needed',
  'restart-ice',
  'restart-settled',
  'local-offer',
  'local-answer',
  'answer-applied',
  'negotiation-failed',
  'local-candidate',
  'signal',
  'make-reconnect-code',
  'reconnect-offer',
  'accept-reconnect-offer',
  'reconnect-answer',
  'accept-reconnect-answer',
  'drop-reconnect-code',
]);
const CALL_EVENTS: ReadonlySet<string> = new Set([
  'call-start',
  'call-accept',
  'call-decline',
  'call-end',
  'call-mic',
  'call-cam',
  'call-switch-camera',
  'media-failed',
  'media-opened',
]);

const HEARD: Command = { type: 'start-timer', id: 'silence', ms: PEER_SILENCE_MS };
const CANCEL_RESTART: Command = { type: 'cancel-timer', id: 'restart' };
const SEND_PING: Command = { type: 'send', message: PING };
const CANCEL_CHECK: Command = { type: 'cancel-timer', id: 'path-check' };
const CHECK_PATH: Command = { type: 'check-path' };

/** Every chat message of ours not yet acknowledged, again. */
export function resend(chat: ChatLog): Command[] {
  const out: Command[] = [];
  for (const entry of chat) {
    if (entry.from !== 'me' || entry.status !== 'pending') continue;
    const message = chatMessage(entry.id, entry.text, entry.ts);
    if (message.ok) out.push({ type: 'send', message: message.value });
  }
  return out;
}

function withLive(state: Connected, patch: Partial<LiveState>, commands: readonly Command[]): Transition {
  return { state: { ...state, live: { ...state.live, ...patch } }, commands };
}

/**
 * ICE restarts need both devices to announce 'restart' in hello (a terminal peer on node-datachannel has none);
 * before the peer's hello, as before, they may happen. Without it, a lost link is left to the silence timer.
 */
const canRestart = (state: Connected): boolean =>
  state.peer === null || state.peer.features.includes(RESTART_FEATURE);

const isRestart = (event: NegEvent): boolean =>
  event.type === 'restart-ice' || (event.type === 'signal' && event.message.t === 'restart');

/** The exchange ending now is a reconnect code's (answered here, or our code's answer being applied). */
const byCode = (n: NegState): boolean =>
  n.phase === 'code-answer' || (n.phase === 'applying-answer' && n.code?.kind === 'offer');

function neg(state: Connected, event: NegEvent, extra: readonly Command[] = []): Transition {
  if (isRestart(event) && !canRestart(state)) return { state, commands: extra };
  const result = negotiate(state.live.neg, event);
  const restarted = result.commands.some(
    (c) => (c.type === 'make-offer' && c.iceRestart) || c.type === 'make-reconnect-offer',
  );
  if (result.state === state.live.neg && result.commands.length === 0 && extra.length === 0)
    return { state, commands: [] };
  // A restart was just exchanged (its settle timer starts): ask the peer for a sign of life over it, and look at
  // what carries it once it settles (check.ts).
  const exchanged = result.commands.some((c) => c.type === 'start-timer' && c.id === 'restart-settle');
  const patch = { neg: result.state, restarts: state.live.restarts + (restarted ? 1 : 0) };
  // Not after a reconnect code: its answerer cannot know when a person carries the answer back (the path stays
  // as it was; silence and codes again).
  const checks = exchanged && !byCode(state.live.neg) ? 0 : null;
  return exchanged
    ? withLive(state, { ...patch, heard: false, checks }, [
        ...extra,
        ...result.commands,
        CANCEL_CHECK,
        SEND_PING,
      ])
    : withLive(state, patch, [...extra, ...result.commands]);
}

/** An ICE restart on this connection (the person's restart when a move cannot be made: move.ts). */
export const restartIce = (state: Connected): Transition => neg(state, { type: 'restart-ice' });

/** The link works again: resend what is unacknowledged. */
export function linkUp(state: Connected, extra: readonly Command[] = []): Transition {
  if (state.live.link === 'up') return { state, commands: extra };
  const heard = extra.some((c) => c.type === 'start-timer' && c.id === 'silence') ? [] : [HEARD];
  return withLive(state, { link: 'up' }, [...extra, CANCEL_RESTART, ...heard, ...resend(state.chat)]);
}

function onConnection(
  connected: Connected,
  event: Extract<SessionEvent, { type: 'connection-state' }>,
): Transition | null {
  // Retries are not reset here: 'connected' after a restart may be the old generation answering (check.ts).
  const state: Connected =
    connected.live.conn === event.state
      ? connected
      : { ...connected, live: { ...connected.live, conn: event.state } };
  switch (event.state) {
    case 'connected':
      return linkUp(state);
    case 'disconnected':
      if (state.live.link !== 'up') return { state, commands: [] };
      return withLive(state, { link: 'unstable' }, [
        { type: 'start-timer', id: 'restart', ms: RESTART_GRACE_MS },
      ]);
    case 'failed': {
      const link: LinkState = state.live.link === 'down' ? 'down' : 'unstable';
      const moved = link === state.live.link ? state : { ...state, live: { ...state.live, link } };
      return neg(moved, { type: 'restart-ice' }, [CANCEL_RESTART]);
    }
    case 'closed':
      return null; // session.ts ends the session
    default:
      return { state, commands: [] };
  }
}

function callResult(state: Connected, event: CallEvent, at?: number): Transition {
  const late =
    at !== undefined &&
    at - state.since > REINVITE_WINDOW_MS &&
    event.type === 'call-message' &&
    event.message.t === 'call' &&
    event.message.op === 'invite';
  const { result, carried } = carryOn(late ? null : state.live.resumeCall, state.live.call, event);
  const media = state.live.media || result.state.phase !== 'idle';
  return withLive(state, { call: result.state, resumeCall: carried, media }, result.commands);
}

/**
 * A path reading after a restart, judged (check.ts); the state returned has counted it (and, for anything but
 * 'wait', ends the check). 'move' is left to session/move.ts.
 */
export function checked(state: Connected, path: PathVerdict): { outcome: RestartOutcome; state: Connected } {
  const { live } = state;
  if (live.checks === null) return { outcome: 'clean', state };
  const checks = live.checks + 1;
  const canMove = state.peer?.features.includes(MOVE_FEATURE) === true;
  const outcome = afterRestart({
    path,
    heard: live.heard,
    conn: live.conn,
    checks,
    retries: live.retries,
    canMove,
  });
  const retries =
    outcome === 'clean' ? 0 : outcome === 'wait' || outcome === 'give-up' ? live.retries : live.retries + 1;
  const patch = { checks: outcome === 'wait' ? checks : null, retries };
  return { outcome, state: { ...state, live: { ...live, ...patch } } };
}

/** What follows a judged reading, but a move: look again (asking for a pong again), or restart ICE again. */
export function afterCheck(state: Connected, outcome: RestartOutcome): Transition {
  switch (outcome) {
    case 'wait':
      return {
        state,
        commands: [
          { type: 'start-timer', id: 'path-check', ms: PATH_RECHECK_MS },
          ...(state.live.heard ? [] : [SEND_PING]),
        ],
      };
    case 'restart-again':
      return neg(state, { type: 'restart-ice' });
    default:
      return { state, commands: [] };
  }
}

/** The connected state's share of events; null for the ones session.ts handles itself. */
export function onLive(state: Connected, event: SessionEvent): Transition | null {
  if (NEG_EVENTS.has(event.type)) return neg(state, event as NegEvent);
  if (CALL_EVENTS.has(event.type)) return callResult(state, event as CallEvent);
  switch (event.type) {
    case 'media-changed':
      return withLive(state, { mediaRev: state.live.mediaRev + 1 }, []);
    case 'connection-state':
      return onConnection(state, event);
    case 'timer':
      if (event.id === 'restart') {
        return state.live.link === 'up' ? { state, commands: [] } : neg(state, { type: 'restart-ice' });
      }
      if (event.id === 'restart-settle') {
        // A restart asked for while the last one settled was folded into it; now look at what carries it.
        const settled = neg(state, { type: 'restart-settled' });
        const s = settled.state;
        if (s.kind !== 'connected' || s.live.checks === null) return settled;
        return { state: s, commands: [...settled.commands, CHECK_PATH] };
      }
      if (event.id === 'path-check')
        return state.live.checks === null ? { state, commands: [] } : { state, commands: [CHECK_PATH] };
      return null;
    case 'path-checked': {
      const { outcome, state: next } = checked(state, event.path);
      // A move is session/move.ts's (it sees this event first): here the peer cannot move.
      return outcome === 'move' ? { state: next, commands: [] } : afterCheck(next, outcome);
    }
    case 'message': {
      const { message } = event;
      if (message.t === 'desc' || message.t === 'cand' || message.t === 'restart' || message.t === 'refused')
        return neg(state, { type: 'signal', message });
      if (message.t === 'call' || message.t === 'media')
        return callResult(state, { type: 'call-message', message, polite: state.live.neg.polite }, event.at);
      return null;
    }
    default:
      return null;
  }
}

/**
 * The peer answered a message of ours (a pong, an ack), so it hears this device: a link marked down is up again,
 * and a reconnect answer code on screen has done its job. The peer's own messages prove neither: with one
 * direction down, its pings still arrive while it waits for our answer.
 */
export function answered(result: Transition): Transition {
  const s = result.state;
  if (s.kind !== 'connected') return result;
  const done = s.live.neg.code?.kind === 'answer';
  const neg = done ? { ...s.live.neg, code: null } : s.live.neg;
  const state = s.live.heard && !done ? s : { ...s, live: { ...s.live, heard: true, neg } };
  if (state.live.link !== 'down') return state === s ? result : { state, commands: result.commands };
  return linkUp(state, result.commands);
}
