// Room call/: calls: the pure call machine (this file) and its media on the connection (media.ts).
//
// Calls as a pure state machine: invite, accept or decline, mute and camera, end. Media itself (capture,
// tracks on the connection) is the runner's; this decides when. Tracks are attached only once both sides
// agreed, so nothing of the camera reaches a peer that has not accepted.
//
// One offer per call, the caller's: the callee sends its accept only once its capture is ready, and puts its
// tracks on the transceivers of the caller's offer while answering it. Measured: when both sides attached at
// accept, their offers always crossed, and a polite Chromium that rolled its own back then refused the Firefox
// offer ("RTP extension ID reassignment not supported"): that call never played on Chromium (1 run in 3).

import { type CallMessage, callMessage, type MediaMessage, mediaMessage } from '../inband/signal.ts';

export type CallEnd = 'declined' | 'remote-ended' | 'media-failed';

export type CallState =
  | { readonly phase: 'idle'; readonly ended: CallEnd | null }
  | { readonly phase: 'outgoing'; readonly id: string; readonly video: boolean }
  | { readonly phase: 'incoming'; readonly id: string; readonly video: boolean }
  | {
      readonly phase: 'active';
      readonly id: string;
      readonly video: boolean;
      /** What we send: microphone / camera on. */
      readonly mic: boolean;
      readonly cam: boolean;
      /** What the peer says it sends. */
      readonly peerMic: boolean;
      readonly peerCam: boolean;
      /** We accepted; the accept goes out once our capture is ready. */
      readonly accepting: boolean;
    };

export const NO_CALL: CallState = { phase: 'idle', ended: null };

export type CallEvent =
  | { readonly type: 'call-start'; readonly id: string; readonly video: boolean }
  | { readonly type: 'call-accept' }
  | { readonly type: 'call-decline' }
  | { readonly type: 'call-end' }
  | { readonly type: 'call-mic'; readonly on: boolean }
  | { readonly type: 'call-cam'; readonly on: boolean }
  | { readonly type: 'call-switch-camera' }
  | { readonly type: 'media-failed'; readonly detail: string }
  /** Capture is ready (or was already open). */
  | { readonly type: 'media-opened' }
  /**
   * `polite`: this side of the link gives way when invites of one call id cross (a group call's members calling
   * each other at once); it is the in-band negotiation's polite side, so the two ends never both give way.
   */
  | { readonly type: 'call-message'; readonly message: CallMessage | MediaMessage; readonly polite: boolean };

/** The runner saying the local or remote media changed (the UI re-reads the streams). */
export type MediaChanged = { readonly type: 'media-changed' };

export type CallCommand =
  /** Capture microphone (and camera); the local preview can show it. */
  | { readonly type: 'media-open'; readonly video: boolean }
  /** Put the captured tracks on the connection (this makes the browser ask for a negotiation). */
  | { readonly type: 'media-attach' }
  /** Put them on the transceivers of the next offer we answer (no offer of our own). */
  | { readonly type: 'media-attach-on-offer' }
  /** Take the tracks off the connection and stop them: camera and microphone released. */
  | { readonly type: 'media-close' }
  | { readonly type: 'media-enable'; readonly mic: boolean; readonly cam: boolean }
  | { readonly type: 'media-switch-camera' }
  | { readonly type: 'send-call'; readonly message: CallMessage | MediaMessage };

export interface CallTransition {
  readonly state: CallState;
  readonly commands: readonly CallCommand[];
}

const same = (state: CallState): CallTransition => ({ state, commands: [] });
const send = (message: CallMessage | MediaMessage): CallCommand => ({ type: 'send-call', message });
const active = (id: string, video: boolean, accepting: boolean): CallState => ({
  phase: 'active',
  id,
  video,
  mic: true,
  cam: video,
  peerMic: true,
  peerCam: video,
  accepting,
});
/** The callee's tracks go on with its answer to the caller's offer; its accept follows capture (media-opened). */
const ATTACH_ON_OFFER: CallCommand = { type: 'media-attach-on-offer' };
const over = (ended: CallEnd | null): CallState => ({ phase: 'idle', ended });
const CLOSE: CallCommand = { type: 'media-close' };

function onMessage(state: CallState, message: CallMessage | MediaMessage, polite: boolean): CallTransition {
  if (message.t === 'media') {
    if (state.phase !== 'active') return same(state);
    return same({ ...state, peerMic: message.mic, peerCam: message.cam });
  }
  const ours = state.phase !== 'idle' && state.id === message.id;
  switch (message.op) {
    case 'invite':
      if (state.phase === 'idle') return same({ phase: 'incoming', id: message.id, video: message.video });
      if (state.phase === 'outgoing') {
        // Both called at once: the lower id wins on both sides, so exactly one call goes ahead. With one id
        // (two members of a group call calling each other), the polite side takes the other's invite and the
        // other waits for its accept: were both to take it, each would wait for the other's offer.
        if (message.id > state.id || (message.id === state.id && !polite)) return same(state);
        const video = state.video || message.video;
        return {
          state: active(message.id, video, true),
          commands: [{ type: 'media-open', video }, ATTACH_ON_OFFER],
        };
      }
      return { state, commands: [send(callMessage('decline', message.id, message.video))] };
    case 'accept':
      if (state.phase !== 'outgoing' || !ours) return same(state);
      return { state: active(state.id, state.video, false), commands: [{ type: 'media-attach' }] };
    case 'decline':
      if (state.phase !== 'outgoing' || !ours) return same(state);
      return { state: over('declined'), commands: [CLOSE] };
    case 'end':
      if (!ours) return same(state);
      return { state: over(state.phase === 'incoming' ? null : 'remote-ended'), commands: [CLOSE] };
  }
}

export function callStep(state: CallState, event: CallEvent): CallTransition {
  switch (event.type) {
    case 'call-start':
      if (state.phase !== 'idle') return same(state);
      return {
        state: { phase: 'outgoing', id: event.id, video: event.video },
        commands: [
          { type: 'media-open', video: event.video },
          send(callMessage('invite', event.id, event.video)),
        ],
      };
    case 'call-accept':
      if (state.phase !== 'incoming') return same(state);
      return {
        state: active(state.id, state.video, true),
        commands: [{ type: 'media-open', video: state.video }, ATTACH_ON_OFFER],
      };
    case 'call-decline':
      if (state.phase !== 'incoming') return same(state);
      return { state: over(null), commands: [send(callMessage('decline', state.id, state.video))] };
    case 'call-end':
      if (state.phase !== 'outgoing' && state.phase !== 'active') return same(state);
      return { state: over(null), commands: [send(callMessage('end', state.id, state.video)), CLOSE] };
    case 'call-mic':
    case 'call-cam': {
      if (state.phase !== 'active') return same(state);
      const mic = event.type === 'call-mic' ? event.on : state.mic;
      const cam = event.type === 'call-cam' ? event.on && state.video : state.cam;
      if (mic === state.mic && cam === state.cam) return same(state);
      return {
        state: { ...state, mic, cam },
        commands: [{ type: 'media-enable', mic, cam }, send(mediaMessage(mic, cam))],
      };
    }
    case 'call-switch-camera':
      return state.phase === 'active' && state.video
        ? { state, commands: [{ type: 'media-switch-camera' }] }
        : same(state);
    case 'media-opened': {
      if (state.phase !== 'active' || !state.accepting) return same(state);
      // Muted while accepting (or a call carried on while muted): the caller learns it once it is active too.
      const muted = !state.mic || state.cam !== state.video;
      return {
        state: { ...state, accepting: false },
        commands: [
          send(callMessage('accept', state.id, state.video)),
          ...(muted ? [send(mediaMessage(state.mic, state.cam))] : []),
        ],
      };
    }
    case 'media-failed':
      if (state.phase === 'idle' || state.phase === 'incoming') return same(state);
      return {
        state: over('media-failed'),
        commands: [send(callMessage('end', state.id, state.video)), CLOSE],
      };
    case 'call-message':
      return onMessage(state, event.message, event.polite);
  }
}

/** An active call whose connection was lost: what a new connection needs to make the same call again. */
export interface CarriedCall {
  readonly id: string;
  readonly video: boolean;
  readonly mic: boolean;
  readonly cam: boolean;
}

export const carriedCall = (call: CallState): CarriedCall | undefined =>
  call.phase === 'active' ? { id: call.id, video: call.video, mic: call.mic, cam: call.cam } : undefined;

/** The device that offered the new connection calls again, with the same id. */
export const recall = (carried: CarriedCall): CallTransition =>
  callStep(NO_CALL, { type: 'call-start', id: carried.id, video: carried.video });

const chain = (first: CallTransition, event: CallEvent): CallTransition => {
  const next = callStep(first.state, event);
  return { state: next.state, commands: [...first.commands, ...next.commands] };
};

/**
 * A step of a call carried on by a new connection. It is armed for one re-invite only: the device that waits
 * takes the first invite by itself if it has the carried call's id and asks for no media that call did not have;
 * the caller, once that invite is accepted, puts its microphone and camera back as they were. Every other change
 * of the call (any other invite, a decline, a hang-up, a call of the person's own) disarms it, so a later invite
 * rings like any call and nothing opens without a tap. Returns what is still armed (null once used or spent).
 */
export function carryOn(
  carried: CarriedCall | null,
  call: CallState,
  event: CallEvent,
): { readonly result: CallTransition; readonly carried: CarriedCall | null } {
  const result = callStep(call, event);
  if (carried === null) return { result, carried };
  const message = event.type === 'call-message' && event.message.t === 'call' ? event.message : null;
  const reinvite =
    message?.op === 'invite' &&
    call.phase === 'idle' &&
    message.id === carried.id &&
    (carried.video || !message.video);
  const accepted = message?.op === 'accept' && call.phase === 'outgoing' && call.id === carried.id;
  if (reinvite || accepted) {
    let r = result;
    if (r.state.phase === 'incoming') r = chain(r, { type: 'call-accept' });
    if (r.state.phase !== 'active') return { result: r, carried: null };
    r = chain(chain(r, { type: 'call-mic', on: carried.mic }), { type: 'call-cam', on: carried.cam });
    return { result: r, carried: null };
  }
  // Nothing happened to the call (a capture becoming ready, a mute before the accept): still armed.
  return { result, carried: message === null && result.state === call ? carried : null };
}
