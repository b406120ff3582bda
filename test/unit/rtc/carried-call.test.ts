// A call carried on by a new connection is taken up by itself once: the one re-invite, with the carried call's
// own media. Anything else (a second invite, one asking for the camera the call did not have, an invite after
// the re-invite was declined or hung up) rings like any call, so no microphone or camera opens without a tap.
import { describe, expect, it } from 'vitest';
import type { CallState } from '../../../src/rtc/call/call.ts';
import { callMessage } from '../../../src/rtc/inband/signal.ts';
import { liveFor, REINVITE_WINDOW_MS } from '../../../src/rtc/link/live.ts';
import type { Command, SessionEvent, SessionState } from '../../../src/rtc/model/types.ts';
import { reduce } from '../../../src/rtc/session/session.ts';
import { AT, STATES } from './session-samples.ts';

type Op = 'invite' | 'accept' | 'decline' | 'end';
const peer = (op: Op, id: string, video: boolean): SessionEvent => ({
  type: 'message',
  message: callMessage(op, id, video),
  at: AT,
});

function run(from: SessionState, ...events: SessionEvent[]) {
  let state = from;
  let commands: readonly Command[] = [];
  for (const event of events) ({ state, commands } = reduce(state, event));
  return { state, commands };
}

const callOf = (state: SessionState) => (state.kind === 'connected' ? state.live.call : null);
const opens = (commands: readonly Command[]) => commands.some((c) => c.type === 'media-open');

const activeCall = (video: boolean): CallState => ({
  phase: 'active',
  id: 'c1',
  video,
  mic: true,
  cam: video,
  peerMic: true,
  peerCam: video,
  accepting: false,
});

/** A device in a call (audio only unless said) whose connection is replaced by the peer's new offer. */
function callee(video = false): SessionState {
  const call = activeCall(video);
  const inCall: SessionState = { ...STATES.connected, live: { ...liveFor('answerer'), call } };
  return run(
    inCall,
    { type: 'join', offerSdp: 'NEW', resume: true },
    { type: 'gathered', sdp: 'A', at: AT },
    { type: 'channel-open', at: AT },
  ).state;
}

/** The device that offered the new connection: it has called again with the carried call's id. */
function caller(): SessionState {
  const call = activeCall(true);
  const inCall: SessionState = { ...STATES.connected, live: { ...liveFor('offerer'), link: 'down', call } };
  return run(
    inCall,
    { type: 'channel-closed' },
    { type: 'make-reconnect-code' },
    { type: 'gathered', sdp: 'O', at: AT },
    { type: 'accept-answer', answerSdp: 'A', at: AT },
    { type: 'channel-open', at: AT },
  ).state;
}

describe('a carried call is armed for its one re-invite', () => {
  it('the re-invite with the same media is taken by itself (as before)', () => {
    const r = run(callee(), peer('invite', 'c1', false));
    expect(callOf(r.state)?.phase).toBe('active');
    expect(r.commands).toContainEqual({ type: 'media-open', video: false });
  });

  it('a re-invite asking for the camera an audio call did not have rings, and opens nothing', () => {
    const r = run(callee(false), peer('invite', 'c1', true));
    expect(callOf(r.state)).toEqual({ phase: 'incoming', id: 'c1', video: true });
    expect(opens(r.commands)).toBe(false);
  });

  it('a video call re-invited as audio only is taken, with the camera off', () => {
    const r = run(callee(true), peer('invite', 'c1', false));
    expect(callOf(r.state)).toMatchObject({ phase: 'active', video: false, cam: false });
    expect(r.commands).toContainEqual({ type: 'media-open', video: false });
  });

  it('after the re-invite was taken and hung up, the same id rings', () => {
    const r = run(
      callee(),
      peer('invite', 'c1', false),
      { type: 'media-opened' },
      peer('end', 'c1', false),
      peer('invite', 'c1', false),
    );
    expect(callOf(r.state)?.phase).toBe('incoming');
    expect(opens(r.commands)).toBe(false);
  });

  it('the caller hung up before its re-invite: a later invite with the old id rings', () => {
    const r = run(callee(), peer('end', 'c1', false), peer('invite', 'c1', true));
    expect(callOf(r.state)).toEqual({ phase: 'incoming', id: 'c1', video: true });
    expect(opens(r.commands)).toBe(false);
  });

  it('the person started another call first: the old id no longer answers by itself', () => {
    const mine = run(callee(), { type: 'call-start', id: 'b2', video: false }, { type: 'call-end' });
    const r = run(mine.state, peer('invite', 'c1', false));
    expect(callOf(r.state)?.phase).toBe('incoming');
  });

  it('the re-invite declined: a later invite with the old id rings on the caller', () => {
    const declined = run(caller(), peer('decline', 'c1', true));
    expect(callOf(declined.state)).toEqual({ phase: 'idle', ended: 'declined' });
    const r = run(declined.state, peer('invite', 'c1', true));
    expect(callOf(r.state)).toEqual({ phase: 'incoming', id: 'c1', video: true });
    expect(opens(r.commands)).toBe(false);
  });

  it('the caller hung up its re-invite: a later invite with the old id rings', () => {
    const ended = run(caller(), { type: 'call-end' });
    const r = run(ended.state, peer('invite', 'c1', true));
    expect(callOf(r.state)?.phase).toBe('incoming');
    expect(opens(r.commands)).toBe(false);
  });

  it('a re-invite long after the new connection opened rings (the mover invites at once)', () => {
    const late: SessionEvent = {
      type: 'message',
      message: callMessage('invite', 'c1', false),
      at: AT + REINVITE_WINDOW_MS + 1,
    };
    const r = run(callee(), late);
    expect(callOf(r.state)?.phase).toBe('incoming');
    expect(opens(r.commands)).toBe(false);
    const inTime = run(callee(), { ...late, at: AT + REINVITE_WINDOW_MS });
    expect(callOf(inTime.state)?.phase).toBe('active');
  });

  it('the re-invite accepted: mic and camera come back as they were, and nothing stays armed', () => {
    const r = run(caller(), peer('accept', 'c1', true));
    expect(callOf(r.state)).toMatchObject({ phase: 'active', mic: true, cam: true });
    expect(r.state.kind === 'connected' && r.state.live.resumeCall).toBeNull();
    const again = run(r.state, peer('end', 'c1', true), peer('invite', 'c1', true));
    expect(callOf(again.state)?.phase).toBe('incoming');
  });
});
