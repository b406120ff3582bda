// Room inband/: what travels over the open channel: control protocol, signals, negotiation and its effects.
//
// "Perfect negotiation" as a pure state machine: every change after the first exchange (tracks, ICE restarts)
// travels in-band as offer/answer/candidate messages, and both sides may start a change at the same moment.
//
// Roles: the ANSWERER of the first exchange (Join) is POLITE, the offerer (Start) is IMPOLITE. When offers
// collide, the impolite side ignores the peer's offer (and its candidates) and waits for its answer; the polite
// side rolls its own offer back, answers, and then offers again if its change is still wanted.
//
// ICE restarts are always OFFERED BY THE JOINER (the polite side, DTLS passive since its first answer was made
// passive): a restart offered by the Starter is asked of the Joiner in-band instead, so one side alone decides
// when restarts happen. Measured (data channel only): a Chromium Starter's restart offer to a Firefox Joiner
// carried no data in session 1. With audio and video on the connection, a restart offered by Chromium to
// Firefox lost the Chromium→Firefox direction in 4 of 6 runs whichever side it was, one offered by Firefox in
// 0 of 6: the rule is right for a Firefox Joiner, not proven for a Chromium one (live.ts retries a restart
// that has not come up).
//
// After every ICE restart both sides hold their own offers for RESTART_SETTLE_MS, and further restart requests in
// that window are folded into the one just made. Measured: a second restart (or offer) 150 ms after the first,
// while the new ICE session is still checking, makes Firefox fail the connection (DTLS 'failed', channel closed)
// facing Chromium, whichever side offers; 1.5 s later every pairing survived it. Two people tapping "Restart"
// at once, or a restart asked for in-band that crosses the Joiner's own, is exactly that case.
//
// An offer the peer cannot apply or answer (setRemoteDescription or createAnswer throws) is refused in-band;
// the offerer rolls it back and gives up that round, so no side waits forever for an answer and every later
// change can still be made.
//
// Reconnect codes (a restart offer carried by hand when the channel carries nothing) run through the same
// machine, so an in-band exchange and a code exchange never overlap. Each finished code exchange bumps `gen`,
// which every in-band description and candidate carries: a stale message queued before the outage and
// delivered after the reconnect is dropped instead of undoing it.

import { MAX_REMOTE_CANDIDATES } from './candidate.ts';
import type { InbandSignal, NegCommand, NegEvent, NegPhase, NegState, NegTransition } from './neg-model.ts';
import { RESTART_SETTLE_MS } from './neg-model.ts';
import { candMessage, type DescMessage, descMessage, RESTART, refusedMessage } from './signal.ts';

/** A new ICE generation (a restart, or a reconnect code's new generation): the peer's candidates count afresh. */
const fresh = (state: NegState): NegState => (state.remoteCands === 0 ? state : { ...state, remoteCands: 0 });

const same = (state: NegState): NegTransition => ({ state, commands: [] });
const send = (message: InbandSignal): NegCommand => ({
  type: 'send-signal',
  message,
});

const SETTLE_TIMER: NegCommand = { type: 'start-timer', id: 'restart-settle', ms: RESTART_SETTLE_MS };

/** A restart was exchanged: hold our offers for a while (see the top of this file). */
const settling = (state: NegState): NegState => ({ ...state, settling: true });

/** Back to stable: start whatever waited (a restart first: it also carries any other change). */
function settle(state: NegState, commands: NegCommand[] = []): NegTransition {
  const calm: NegState = { ...state, phase: 'stable' };
  if (calm.settling) return { state: calm, commands };
  if (calm.restart === 'wanted') {
    return {
      state: { ...calm, phase: 'making-offer', restart: 'in-offer', again: false },
      commands: [...commands, { type: 'make-offer', iceRestart: true }],
    };
  }
  if (calm.again) {
    return {
      state: { ...calm, phase: 'making-offer', again: false },
      commands: [...commands, { type: 'make-offer', iceRestart: false }],
    };
  }
  return { state: calm, commands };
}

const busyWithCode = (phase: NegPhase): boolean => phase === 'code-offer' || phase === 'code-answer';

function onDescription(state: NegState, message: DescMessage): NegTransition {
  if (busyWithCode(state.phase)) return same(state);
  if (message.kind === 'answer') {
    if (state.phase !== 'offer-sent') return same(state); // stale, or an answer to an offer we rolled back
    // The peer answered us: what follows (its trickled candidates) belongs to that answer.
    const answered = state.restart === 'in-offer' ? fresh(state) : state;
    return {
      state: { ...answered, phase: 'applying-answer', ignoring: false },
      commands: [{ type: 'apply-remote-answer', sdp: message.sdp }],
    };
  }
  // The peer offers again before our answer to its last offer: out of protocol (an offerer waits for the
  // answer), so it is dropped rather than queued behind the one being answered. One offer in hand at a time.
  if (state.phase === 'answering') return same(state);
  const collision = state.phase === 'making-offer' || state.phase === 'offer-sent';
  if (collision && !state.polite) return same({ ...state, ignoring: true });
  // Polite (or no collision): take the peer's offer. A restart we had on the wire is redone afterwards,
  // unless the peer's offer restarts ICE itself; another rolled-back change is offered again (browsers also
  // fire negotiationneeded again once stable, and a spare offer is harmless).
  const restartLost = collision && state.restart === 'in-offer';
  const restart = message.restart ? 'no' : restartLost ? 'wanted' : state.restart;
  const again = state.again || (collision && !restartLost);
  const next: NegState = {
    ...(message.restart ? fresh(state) : state),
    phase: 'answering',
    ignoring: false,
    restart,
    again,
  };
  return message.restart
    ? { state: settling(next), commands: [{ type: 'answer-offer', sdp: message.sdp }, SETTLE_TIMER] }
    : { state: next, commands: [{ type: 'answer-offer', sdp: message.sdp }] };
}

function onCodeEvent(state: NegState, event: NegEvent): NegTransition {
  switch (event.type) {
    case 'make-reconnect-code':
      // A reconnect code is a restart offer: the Joiner's to make (the Starter reads it).
      if (busyWithCode(state.phase) || !state.polite) return same(state);
      return {
        state: { ...state, phase: 'code-offer', code: null, ignoring: false },
        commands: [{ type: 'make-reconnect-offer' }],
      };
    case 'reconnect-offer':
      return state.phase === 'code-offer'
        ? same({ ...state, code: { kind: 'offer', sdp: event.sdp } })
        : same(state);
    case 'accept-reconnect-offer':
      // The peer's code replaces anything of ours, including a code of our own on screen.
      return {
        state: { ...state, phase: 'code-answer', code: null, ignoring: false },
        commands: [{ type: 'answer-reconnect-offer', sdp: event.sdp }],
      };
    case 'reconnect-answer':
      if (state.phase !== 'code-answer') return same(state);
      return settle(
        settling({
          ...fresh(state),
          gen: state.gen + 1,
          restart: 'no',
          code: { kind: 'answer', sdp: event.sdp },
        }),
        [SETTLE_TIMER],
      );
    case 'accept-reconnect-answer':
      if (state.phase !== 'code-offer' || state.code?.kind !== 'offer') return same(state);
      return {
        state: { ...state, phase: 'applying-answer' },
        commands: [{ type: 'apply-remote-answer', sdp: event.sdp }],
      };
    case 'drop-reconnect-code':
      if (state.phase === 'code-offer') return settle({ ...state, code: null });
      return state.code === null ? same(state) : same({ ...state, code: null });
    default:
      return same(state);
  }
}

export function negotiate(state: NegState, event: NegEvent): NegTransition {
  switch (event.type) {
    case 'negotiation-needed':
      if (state.phase !== 'stable') return same(state.again ? state : { ...state, again: true });
      return settle({ ...state, again: true });
    case 'restart-ice':
      // Folded into the restart in progress or just made: its candidates are gathered fresh anyway.
      if (busyWithCode(state.phase) || state.restart !== 'no' || state.settling) return same(state);
      // The Starter does not offer restarts: it asks the Joiner (see the top of this file).
      if (!state.polite) return { state, commands: [send(RESTART)] };
      if (state.phase !== 'stable') return same({ ...state, restart: 'wanted' });
      return settle({ ...state, restart: 'wanted' });
    case 'local-offer':
      // An offer finished after we switched to answering the peer's: the runner rolls it back.
      if (state.phase !== 'making-offer') return same(state);
      return {
        state: { ...state, phase: 'offer-sent', held: [] },
        commands: [
          send(descMessage('offer', event.sdp, state.restart === 'in-offer', state.gen)),
          ...state.held.map(send),
        ],
      };
    case 'local-answer':
      if (state.phase !== 'answering') return same(state);
      return settle({ ...state, held: [] }, [
        send(descMessage('answer', event.sdp, false, state.gen)),
        ...state.held.map(send),
      ]);
    case 'answer-applied':
      if (state.phase !== 'applying-answer') return same(state);
      // A reconnect answer (code on screen) ends a code exchange: a new generation starts.
      if (state.code?.kind === 'offer')
        return settle(settling({ ...fresh(state), gen: state.gen + 1, restart: 'no', code: null }), [
          SETTLE_TIMER,
        ]);
      if (state.restart === 'in-offer')
        return settle(settling({ ...state, restart: 'no', ignoring: false }), [SETTLE_TIMER]);
      return settle({ ...state, ignoring: false });
    case 'restart-settled':
      if (!state.settling) return same(state);
      // Mid-exchange, the exchange's own end starts whatever waited.
      return state.phase === 'stable'
        ? settle({ ...state, settling: false })
        : same({ ...state, settling: false });
    case 'negotiation-failed': {
      // Give up this round (no retry loop on a persistent failure); a later change starts afresh. An offer we
      // could not answer is refused, so the peer does not wait for our answer forever.
      const restart = state.restart === 'in-offer' ? 'no' : state.restart;
      const refuse = event.step === 'answer' ? [send(refusedMessage(state.gen))] : [];
      const code = event.step === 'code-offer' ? null : state.code;
      return settle({ ...state, restart, held: [], code }, refuse);
    }
    case 'local-candidate': {
      if (busyWithCode(state.phase)) return same(state); // a code carries its own candidates
      const message = candMessage(event.cand, event.mid, event.mline, state.gen, event.ufrag);
      if (state.phase === 'making-offer' || state.phase === 'answering')
        return same({ ...state, held: [...state.held, message] });
      return { state, commands: [send(message)] };
    }
    case 'signal': {
      const { message } = event;
      if (message.t === 'restart')
        return state.polite ? negotiate(state, { type: 'restart-ice' }) : same(state);
      if (message.gen < state.gen) return same(state); // from before a reconnect code: stale
      const current = message.gen > state.gen ? { ...fresh(state), gen: message.gen } : state;
      if (message.t === 'desc') return onDescription(current, message);
      if (message.t === 'refused') {
        // Our offer on the wire could not be answered: take it back and give up this round, as on our own
        // failure (a restart it carried is not retried from here; live.ts's checks ask again).
        if (current.phase !== 'offer-sent') return same(current);
        const restart = current.restart === 'in-offer' ? 'no' : current.restart;
        return settle({ ...current, restart }, [{ type: 'abandon-offer' }]);
      }
      if (current.ignoring || busyWithCode(current.phase)) return same(current);
      // A bounded number per generation: a peer cannot make this browser check any number of addresses.
      const counted = message.cand !== '';
      if (counted && current.remoteCands >= MAX_REMOTE_CANDIDATES) return same(current);
      return {
        state: counted ? { ...current, remoteCands: current.remoteCands + 1 } : current,
        commands: [
          {
            type: 'add-candidate',
            cand: message.cand,
            mid: message.mid,
            mline: message.mline,
            ufrag: message.ufrag,
          },
        ],
      };
    }
    default:
      return onCodeEvent(state, event);
  }
}
