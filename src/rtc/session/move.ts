// Make-before-break (session room): the session moves to a fresh RTCPeerConnection negotiated in-band over the old one, while
// the old one still carries both ways, and switches over once the new session channel is open. Pure, like
// session.ts (which routes the connected state's events here first).
//
// Why not an ICE restart: after one, libwebrtc keeps the old generation's remote candidates and may nominate a
// pair that uses them, which Firefox's old ICE stream answers until its new one is up; both sides then report
// 'connected' while one direction is dead, and nothing in-band can repair it (measured: a restart tapped during a
// call, Firefox Start / Chromium Join, lost Chromium→Firefox in 1 of 2–5 runs). A new connection has no old
// generation, and the old one is untouched until the new one carries. Same certificate: same fingerprint.
//
// Besides a person's tap, an ICE restart that has not come up clean (link/check.ts) moves the session too.
//
// Who moves: the polite side (the answerer of the current connection), as with ICE restarts; the other side
// asks it with the in-band 'restart' request. A move that has not switched within MOVE_DEADLINE_MS is dropped
// on both sides and an ICE restart is made instead. Chat not yet acknowledged is sent again on the new
// connection (the receiver keeps one copy per id), transfers resume from the receiver's offset (app/files.ts
// follows `since`), and a call is made again by the mover without anyone tapping (call.ts carryOn).

import { carriedCall } from '../call/call.ts';
import { MOVE_FEATURE } from '../inband/control.ts';
import { RESTART_SETTLE_MS } from '../inband/neg-model.ts';
import { type MoveMessage, moveMessage, RESTART_BY_PERSON } from '../inband/signal.ts';
import { checked, restartIce } from '../link/live.ts';
import type {
  Command,
  LinkState,
  MoveState,
  PeerInfo,
  SessionEvent,
  SessionState,
  Transition,
} from '../model/types.ts';
import { cancelTimer, closed, connected, ignore, startTimer } from './exchange.ts';
import { sameRemote } from './sas.ts';

/** From the first move step to the switch: two non-trickle gatherings (≤ 3 s each) and a handshake. */
export const MOVE_DEADLINE_MS = 15_000;
/**
 * Restart requests this soon after a move are folded into it, as negotiation.ts folds them into an ICE restart
 * just made: two people tapping Restart at about the same moment want one restart (a tap relayed by the Starter
 * can land after the Joiner's move already switched).
 */
export const MOVE_SETTLE_MS = RESTART_SETTLE_MS;
/** The feature a peer announces in hello when it can move (a headless peer without one is restarted instead). */
export { MOVE_FEATURE };

type Connected = Extract<SessionState, { kind: 'connected' }>;

/** What a restart asked for by a person (or by the peer's request) becomes. */
export type RestartPlan = 'move' | 'ice-restart';

/**
 * The decision "restart ICE on this connection, or move to a new one": move when the peer can and the old
 * connection still carries (the peer answers us), since then the move cannot strand the session; otherwise only
 * an ICE restart can help, as nothing in-band reaches the peer over the old path.
 */
export function restartPlan(peer: PeerInfo | null, link: LinkState, moving: boolean): RestartPlan {
  if (moving) return 'move'; // folded into the move in progress
  return link === 'up' && peer?.features.includes(MOVE_FEATURE) === true ? 'move' : 'ice-restart';
}

const withMove = (state: Connected, move: MoveState | null, commands: readonly Command[]): Transition => ({
  state: { ...state, live: { ...state.live, move } },
  commands,
});

const send = (message: MoveMessage): Command => ({ type: 'send', message });
const DEADLINE = startTimer('move-deadline', MOVE_DEADLINE_MS);

function begin(state: Connected): Transition {
  // Folded into the move in progress, or the one just made.
  if (state.live.move !== null || state.live.moveSettling) return ignore(state);
  // Only the polite side moves; the other asks it to (as for ICE restarts).
  if (state.role === 'offerer') return { state, commands: [{ type: 'send', message: RESTART_BY_PERSON }] };
  const id = `m${state.since}-${state.live.restarts}`;
  return {
    state: {
      ...state,
      live: { ...state.live, move: { id, side: 'offering' }, restarts: state.live.restarts + 1 },
    },
    commands: [{ type: 'move-offer' }, DEADLINE],
  };
}

/** The move is off on both sides; the side that offered it restarts ICE instead. */
function giveUp(state: Connected, tell: boolean): Transition {
  const move = state.live.move;
  if (move === null) return ignore(state);
  const commands: Command[] = [
    cancelTimer('move-deadline'),
    { type: 'move-drop' },
    ...(tell ? [send(moveMessage('drop', move.id))] : []),
  ];
  const dropped = withMove(state, null, commands);
  if (move.side !== 'offering') return dropped;
  const restart = restartIce(dropped.state as Connected);
  return { state: restart.state, commands: [...commands, ...restart.commands] };
}

function onMessage(state: Connected, message: MoveMessage): Transition {
  const move = state.live.move;
  switch (message.kind) {
    case 'offer':
      if (!sameRemote(state, message.sdp)) return closed(state, 'certificate-changed', 'rejected');
      // Our own offer crossing the peer's cannot happen while only the polite side moves; if roles disagree,
      // the peer's offer wins and ours is dropped.
      return {
        state: { ...state, live: { ...state.live, move: { id: message.id, side: 'answering' } } },
        commands: [
          ...(move === null ? [] : [{ type: 'move-drop' } as const]),
          { type: 'move-answer', offerSdp: message.sdp },
          DEADLINE,
        ],
      };
    case 'answer':
      if (move?.side !== 'offering' || move.id !== message.id) return ignore(state);
      if (!sameRemote(state, message.sdp)) return closed(state, 'certificate-changed', 'rejected');
      return { state, commands: [{ type: 'move-apply-answer', answerSdp: message.sdp }] };
    case 'drop':
      return move?.id === message.id ? giveUp(state, false) : ignore(state);
  }
}

/** The switch: the new connection is the session's now; the old one is released by the runner. */
function moved(state: Connected, at: number): Transition {
  const move = state.live.move;
  if (move === null) return ignore(state);
  const role = move.side === 'offering' ? 'offerer' : 'answerer';
  // connected() carries the chat (resending what is unacknowledged) and a call going on (the mover calls again).
  const call = carriedCall(state.live.call);
  const from: SessionState = {
    kind: 'connecting',
    role,
    since: at,
    chat: state.chat,
    ...(call ? { lostCall: call } : {}),
  };
  const next = connected(from, role, at);
  if (next.state.kind !== 'connected') return next;
  const live = {
    ...next.state.live,
    restarts: state.live.restarts,
    mediaRev: state.live.mediaRev + 1,
    moveSettling: true,
  };
  return {
    // The session's words and certificates stay; a move never makes them anew (sameRemote checked the SDPs).
    state: {
      ...next.state,
      peer: state.peer,
      live,
      sas: state.sas,
      fingerprints: state.fingerprints,
      verified: state.verified,
    },
    commands: [
      cancelTimer('move-deadline'),
      cancelTimer('restart'),
      cancelTimer('restart-settle'),
      startTimer('move-settle', MOVE_SETTLE_MS),
      ...next.commands,
    ],
  };
}

/** The connected state's move events; null for every other event. */
export function onMove(state: Connected, event: SessionEvent): Transition | null {
  switch (event.type) {
    case 'restart-ice': {
      const moving = state.live.move !== null || state.live.moveSettling;
      if (restartPlan(state.peer, state.live.link, moving) !== 'move') return null;
      return begin(state);
    }
    case 'move-made': {
      const move = state.live.move;
      const expected = event.kind === 'offer' ? 'offering' : 'answering';
      if (move?.side !== expected) return ignore(state);
      return { state, commands: [send(moveMessage(event.kind, move.id, event.sdp))] };
    }
    case 'moved':
      return moved(state, event.at);
    case 'path-checked': {
      // An ICE restart that did not come up clean (link/check.ts): not the same again, but a new connection.
      const judged = checked(state, event.path);
      return judged.outcome === 'move' ? begin(judged.state) : null;
    }
    case 'move-failed':
      return giveUp(state, true);
    case 'timer':
      if (event.id === 'move-settle')
        return { state: { ...state, live: { ...state.live, moveSettling: false } }, commands: [] };
      return event.id === 'move-deadline' ? giveUp(state, true) : null;
    case 'message': {
      const { message } = event;
      if (message.t === 'move') return onMessage(state, message);
      // The Starter's request: the polite side moves when it can, else restarts ICE (negotiation.ts).
      // Only a person's request moves; the Starter's automatic one (its ICE failed) restarts ICE.
      if (message.t === 'restart' && message.move === true && state.role === 'answerer') {
        const moving = state.live.move !== null || state.live.moveSettling;
        if (restartPlan(state.peer, state.live.link, moving) !== 'move') return null;
        return begin(state);
      }
      return null;
    }
    default:
      return null;
  }
}
