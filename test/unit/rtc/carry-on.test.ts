// A session carried on by a new connection: when a device's connection is gone for good (Firefox closes its
// channels when its ICE fails), its reconnect code is a new connection's offer, and the chat goes with it.
import { describe, expect, it } from 'vitest';
import { NO_CALL } from '../../../src/rtc/call/call.ts';
import {
  byeMessage,
  chatMessage,
  KEEPALIVE_INTERVAL_MS,
  PEER_SILENCE_MS,
} from '../../../src/rtc/inband/control.ts';
import { callMessage, mediaMessage } from '../../../src/rtc/inband/signal.ts';
import { liveFor } from '../../../src/rtc/link/live.ts';
import type { Command, SessionEvent, SessionState, TimerId } from '../../../src/rtc/model/types.ts';
import { reduce } from '../../../src/rtc/session/session.ts';
import { AT, PENDING_CHAT, STATES } from './session-samples.ts';

const start = (id: TimerId, ms: number): Command => ({ type: 'start-timer', id, ms });
const cancel = (id: TimerId): Command => ({ type: 'cancel-timer', id });
const CLOSE: Command = { type: 'close' };
const RESUME: SessionEvent = { type: 'join', offerSdp: 'NEW-OFFER', resume: true };
const ANSWER: Command = { type: 'apply-offer-and-answer', offerSdp: 'NEW-OFFER' };
const MAKE: SessionEvent = { type: 'make-reconnect-code' };
/** A resumable session's old connection is told it is replaced (not hung up), then a new offer is made. */
const REPLACED: Command[] = [
  cancel('keepalive'),
  { type: 'send', message: byeMessage('new-connection') },
  CLOSE,
  { type: 'create-offer' },
];
const lost: SessionState = { kind: 'closed', reason: 'connection-lost', chat: PENDING_CHAT };
const resumable: SessionState = {
  kind: 'closed',
  reason: 'peer-gone',
  chat: PENDING_CHAT,
  resume: {
    role: 'answerer',
    since: 1,
    peer: null,
    live: { ...liveFor('answerer'), link: 'down' },
    sas: { kind: 'unverifiable' },
    fingerprints: null,
    verified: null,
  },
};
const resent = (): Command => {
  const m = chatMessage('m1', 'hi', 1);
  if (!m.ok) throw new Error('sample chat refused');
  return { type: 'send', message: m.value };
};

/** The offerer of a new connection: its offer gathered, then the peer's answer taken in. */
const OFFERED: SessionEvent[] = [
  { type: 'gathered', sdp: 'O', at: AT },
  { type: 'accept-answer', answerSdp: 'A', at: AT },
];

/** Feeds events in order, returning every state and the commands of the last step. */
function run(from: SessionState, ...events: SessionEvent[]) {
  let state = from;
  let commands: readonly Command[] = [];
  for (const event of events) ({ state, commands } = reduce(state, event));
  return { state, commands };
}

describe('a lost connection is carried on by a new one', () => {
  it('after the connection is lost, a reconnect code is a new offer that keeps the chat', () => {
    const r = reduce(lost, MAKE);
    expect(r.state).toMatchObject({ kind: 'gathering', role: 'offerer', chat: PENDING_CHAT });
    expect(r.commands).toEqual([{ type: 'create-offer' }]);
  });

  it('a silent peer: either device may make a new connection instead of a restart code (the fallback)', () => {
    const NEW: SessionEvent = { type: 'make-new-connection-code' };
    const r = reduce(resumable, NEW);
    expect(r.state).toMatchObject({ kind: 'gathering', role: 'offerer', chat: PENDING_CHAT });
    // The old connection may still carry one way: the peer is told it is replaced, not hung up.
    expect(r.commands).toEqual(REPLACED);
    const told = reduce(STATES.connected, { type: 'message', message: byeMessage('new-connection'), at: AT });
    expect(told.state).toMatchObject(lost);
    expect(reduce(lost, NEW).state).toMatchObject({ kind: 'gathering', role: 'offerer', chat: PENDING_CHAT });
    // Not while the link is live, nor for an ended session.
    for (const state of [
      STATES.connected,
      STATES.closed,
      STATES.idle,
      STATES.offerReady,
    ] satisfies SessionState[])
      expect(reduce(state, NEW).state).toBe(state);
  });

  it('a silent peer after a call: the reconnect code is a new connection (compact), not an ICE restart with media', () => {
    // Without a call the Joiner's reconnect code is its ICE restart offer on the connection it holds.
    const plain = reduce(resumable, MAKE);
    expect(plain.commands).toEqual([{ type: 'make-reconnect-offer' }]);
    // A call (even one ended since) left audio/video sections in the connection's descriptions.
    const resume = resumable.kind === 'closed' ? resumable.resume : undefined;
    if (resume === undefined) throw new Error('sample is not resumable');
    const called: SessionState = {
      ...resumable,
      resume: { ...resume, live: { ...resume.live, media: true } },
    };
    const r = reduce(called, MAKE);
    expect(r.state).toMatchObject({ kind: 'gathering', role: 'offerer', chat: PENDING_CHAT });
    expect(r.commands).toEqual(REPLACED);
  });

  it('a call marks the connection as carrying media, for good', () => {
    const live = STATES.connected;
    if (live.kind !== 'connected') throw new Error('sample is not connected');
    expect(live.live.media).toBe(false);
    const ringing = reduce(live, { type: 'call-start', id: 'c1', video: false }).state;
    expect(ringing.kind === 'connected' && ringing.live.media).toBe(true);
    // Ended, the call leaves its sections in the descriptions: the mark stays.
    const ended = reduce(ringing, { type: 'call-end' }).state;
    expect(ended.kind === 'connected' && ended.live.call.phase).toBe('idle');
    expect(ended.kind === 'connected' && ended.live.media).toBe(true);
  });

  it('a session someone ended, or never had, makes no such code', () => {
    for (const state of [
      STATES.idle,
      STATES.closed,
      { kind: 'closed', reason: 'remote-hangup', chat: PENDING_CHAT },
      STATES.failed,
      STATES.offerReady,
    ] satisfies SessionState[]) {
      expect(reduce(state, MAKE).state).toBe(state);
    }
  });

  it("the peer's new offer replaces a live, a resumable or a lost connection, with no bye, keeping the chat", () => {
    const fromLive = reduce(STATES.connected, RESUME);
    expect(fromLive.state).toMatchObject({ kind: 'gathering', role: 'answerer', chat: PENDING_CHAT });
    expect(fromLive.commands).toEqual([cancel('keepalive'), cancel('silence'), CLOSE, ANSWER]);
    const fromResumable = reduce(resumable, RESUME);
    expect(fromResumable.state).toMatchObject({ kind: 'gathering', role: 'answerer', chat: PENDING_CHAT });
    expect(fromResumable.commands).toEqual([cancel('keepalive'), CLOSE, ANSWER]);
    const fromLost = reduce(lost, RESUME);
    expect(fromLost.state).toMatchObject({ kind: 'gathering', role: 'answerer', chat: PENDING_CHAT });
    expect(fromLost.commands).toEqual([ANSWER]);
  });

  it('both devices made a code: the one that reads the other answers it, still carrying the chat', () => {
    const mine = run(lost, MAKE, { type: 'gathered', sdp: 'MY-OFFER', at: AT }).state;
    expect(mine).toMatchObject({ kind: 'offer-ready', sdp: 'MY-OFFER', createdAt: AT, chat: PENDING_CHAT });
    const r = reduce(mine, RESUME);
    expect(r.state).toMatchObject({ kind: 'gathering', role: 'answerer', chat: PENDING_CHAT });
    expect(r.commands).toEqual([CLOSE, ANSWER]);
  });

  it('a resume offer cannot hijack a session that was ended or never connected', () => {
    for (const state of [STATES.idle, STATES.closed, STATES.failed, STATES.offerReady, STATES.answerReady]) {
      expect(reduce(state, RESUME).state).toBe(state);
    }
    // A plain offer still needs the person to leave a live session first.
    expect(reduce(STATES.connected, { type: 'join', offerSdp: 'X' }).state).toBe(STATES.connected);
  });

  it('offerer: the new connection opens with the old chat, and what was not delivered goes out again', () => {
    const r = run(
      lost,
      MAKE,
      { type: 'gathered', sdp: 'MY-OFFER', at: AT },
      { type: 'accept-answer', answerSdp: 'ANSWER', at: AT + 5 },
      { type: 'channel-open', at: AT + 9 },
    );
    expect(r.state).toMatchObject({
      kind: 'connected',
      role: 'offerer',
      since: AT + 9,
      peer: null,
      chat: PENDING_CHAT,
      live: liveFor('offerer'),
    });
    expect(r.commands).toEqual([
      cancel('connect-deadline'),
      { type: 'send-hello' },
      start('keepalive', KEEPALIVE_INTERVAL_MS),
      start('silence', PEER_SILENCE_MS),
      resent(),
    ]);
  });

  it('answerer: the roles follow the new connection (the device that made the code offers)', () => {
    const r = run(
      STATES.connected,
      RESUME,
      { type: 'gathered', sdp: 'MY-ANSWER', at: AT },
      { type: 'channel-open', at: AT + 9 },
    );
    expect(r.state.kind === 'connected' && r.state.role).toBe('answerer');
    expect(r.state.kind === 'connected' && r.state.chat).toEqual(PENDING_CHAT);
    expect(r.commands).toContainEqual(resent());
  });

  it('chat written while the connection is lost is kept, and goes out once a new connection carries it on', () => {
    const write: SessionEvent = { type: 'send-chat', id: 'w1', text: 'while lost', at: AT };
    const written = reduce(lost, write);
    expect(written.commands).toEqual([]);
    expect(written.state.kind === 'closed' && written.state.chat.map((e) => e.id)).toEqual(['m1', 'w1']);
    // Also while the new connection is being made; never in a session someone ended.
    const making = run(written.state, MAKE, { ...write, id: 'w2' });
    expect(making.state.kind === 'gathering' && making.state.chat?.map((e) => e.id)).toEqual([
      'm1',
      'w1',
      'w2',
    ]);
    expect(reduce(STATES.closed, write).state).toBe(STATES.closed);
    expect(reduce(lost, { ...write, text: '  ' }).state).toBe(lost);
    const opened = run(written.state, MAKE, ...OFFERED, { type: 'channel-open', at: AT });
    const sent = opened.commands.filter((c) => c.type === 'send').map((c) => c.type === 'send' && c.message);
    expect(sent.map((m) => m && m.t === 'chat' && m.id)).toEqual(['m1', 'w1']);
  });

  it('a call going on when the connection was lost is made again on the new connection, muted as it was', () => {
    const call = {
      phase: 'active' as const,
      id: 'c1',
      video: true,
      mic: false,
      cam: true,
      peerMic: true,
      peerCam: true,
      accepting: false,
    };
    const inCall: SessionState = { ...STATES.connected, live: { ...liveFor('offerer'), link: 'down', call } };
    const dropped = reduce(inCall, { type: 'channel-closed' }).state;
    const carried = { id: 'c1', video: true, mic: false, cam: true };
    expect(dropped).toMatchObject({ kind: 'closed', reason: 'connection-lost', lostCall: carried });
    // The device that makes the code offers the new connection, and calls again with the same id.
    const caller = run(dropped, MAKE, ...OFFERED, { type: 'channel-open', at: AT });
    expect(caller.state.kind === 'connected' && caller.state.live.call).toEqual({
      phase: 'outgoing',
      id: 'c1',
      video: true,
    });
    expect(caller.commands).toContainEqual({ type: 'media-open', video: true });
    expect(caller.commands).toContainEqual({ type: 'send-call', message: callMessage('invite', 'c1', true) });
    // The other device (its old connection still held, the call still on it) answers the new connection and
    // takes that invite by itself.
    const peerCall = { ...call, mic: true };
    const peerInCall: SessionState = {
      ...STATES.connected,
      live: { ...liveFor('answerer'), call: peerCall },
    };
    const callee = run(
      peerInCall,
      RESUME,
      { type: 'gathered', sdp: 'A', at: AT },
      { type: 'channel-open', at: AT },
    );
    expect(callee.state.kind === 'connected' && callee.state.live.call).toEqual(NO_CALL);
    const invited = run(callee.state, {
      type: 'message',
      message: callMessage('invite', 'c1', true),
      at: AT,
    });
    expect(invited.state.kind === 'connected' && invited.state.live.call.phase).toBe('active');
    expect(invited.commands).toContainEqual({ type: 'media-open', video: true });
    expect(invited.state.kind === 'connected' && invited.state.live.resumeCall).toBeNull();
    // The caller, once accepted, mutes its microphone again and says so.
    const accepted = run(caller.state, {
      type: 'message',
      message: callMessage('accept', 'c1', true),
      at: AT,
    });
    expect(accepted.state.kind === 'connected' && accepted.state.live.call).toMatchObject({
      phase: 'active',
      mic: false,
      cam: true,
    });
    expect(accepted.commands).toContainEqual({ type: 'media-enable', mic: false, cam: true });
    expect(accepted.commands).toContainEqual({ type: 'send-call', message: mediaMessage(false, true) });
    // Another call's invite is not taken by itself.
    const other = run(callee.state, { type: 'message', message: callMessage('invite', 'zz', false), at: AT });
    expect(other.state.kind === 'connected' && other.state.live.call.phase).toBe('incoming');
    // Without a call, nothing is made again.
    const quiet = run(lost, MAKE, ...OFFERED, { type: 'channel-open', at: AT }).state;
    expect(quiet.kind === 'connected' && quiet.live.call).toEqual(NO_CALL);
  });

  it('a new connection that does not come up goes back to "connection lost" with the chat, to try again', () => {
    const connecting = run(lost, MAKE, ...OFFERED).state;
    const r = reduce(connecting, { type: 'timer', id: 'connect-deadline' });
    expect(r.state).toMatchObject(lost);
    expect(r.commands).toEqual([cancel('connect-deadline'), CLOSE]);
    const gatherFailed = run(lost, MAKE, { type: 'effect-failed', op: 'gather', detail: 'x' });
    expect(gatherFailed.state).toMatchObject(lost);
    // Hanging up in the middle ends the session with its chat still readable.
    const hungUp = run(lost, MAKE, { type: 'hangup' }).state;
    expect(hungUp).toEqual({ kind: 'closed', reason: 'local-hangup', chat: PENDING_CHAT });
  });
});
