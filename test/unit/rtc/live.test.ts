// Link health after ICE restarts: what carries a restart is looked at once it settles; one not up clean by
// RESTART_CLEAN_MS moves the session to a new connection when the peer can, else is made again (bounded).
import { describe, expect, it } from 'vitest';
import { PING, PONG } from '../../../src/rtc/inband/control.ts';
import { descMessage, RESTART, RESTART_BY_PERSON } from '../../../src/rtc/inband/signal.ts';
import { MAX_RESTART_RETRIES, PATH_CHECKS, PATH_RECHECK_MS } from '../../../src/rtc/link/check.ts';
import { liveFor } from '../../../src/rtc/link/live.ts';
import type { Command, PathVerdict, SessionEvent, SessionState } from '../../../src/rtc/model/types.ts';
import { reduce } from '../../../src/rtc/session/session.ts';
import { AT, conn, PENDING_CHAT } from './session-samples.ts';

const JOINER: SessionState = {
  kind: 'connected',
  role: 'answerer',
  since: 3_000,
  peer: null,
  chat: PENDING_CHAT,
  live: liveFor('answerer'),
  sas: { kind: 'unverifiable' as const },
  fingerprints: null,
  verified: null,
};

function run(state: SessionState, ...events: SessionEvent[]): { state: SessionState; commands: Command[] } {
  const commands: Command[] = [];
  let current = state;
  for (const event of events) {
    const next = reduce(current, event);
    current = next.state;
    commands.push(...next.commands);
  }
  return { state: current, commands };
}

const restartOffers = (commands: readonly Command[]) =>
  commands.filter((c) => c.type === 'make-offer' && c.iceRestart).length;

/** One in-band restart, offered by the Joiner and answered by the peer. */
const RESTART_ROUND: SessionEvent[] = [
  { type: 'local-offer', sdp: 'v=0 r' },
  { type: 'message', message: descMessage('answer', 'v=0 a', false, 0), at: AT },
  { type: 'answer-applied' },
];
const SETTLED: SessionEvent = { type: 'timer', id: 'restart-settle' };
const HEARD_PONG: SessionEvent = { type: 'message', message: PONG, at: AT };

const checked = (path: PathVerdict): SessionEvent => ({ type: 'path-checked', path });
const LOOK: SessionEvent = { type: 'timer', id: 'path-check' };
/** The looks after settling, each with its reading, up to the decision. */
const readings = (path: PathVerdict): SessionEvent[] => [
  checked(path),
  ...Array.from({ length: PATH_CHECKS - 1 }, () => [LOOK, checked(path)]).flat(),
];
const looks = (commands: readonly Command[]) => commands.filter((c) => c.type === 'check-path').length;
const moveOffers = (commands: readonly Command[]) => commands.filter((c) => c.type === 'move-offer').length;
const WITH_MOVE = { app: '0.1.0', features: ['chat', 'ack', 'keepalive', 'restart', 'move'] };
const NO_MOVE = { app: '0.1.0', features: ['chat', 'ack', 'keepalive', 'restart'] };

describe('after every ICE restart, what carries it is checked', () => {
  // An automatic restart: the link went 'disconnected' and did not come back within its grace.
  const restarted = (peer = NO_MOVE) =>
    run(
      { ...JOINER, peer },
      conn('disconnected', 'disconnected'),
      { type: 'timer', id: 'restart' },
      ...RESTART_ROUND,
      conn('connected', 'connected'),
    );

  it('the exchange pings the peer, and its settling asks the runner what carries the connection', () => {
    const done = restarted();
    expect(done.commands).toContainEqual({ type: 'send', message: PING });
    expect(looks(run(done.state, SETTLED).commands)).toBe(1);
  });

  it('clean (current pair, connected, the pong back): left alone, no second look', () => {
    const r = run(restarted().state, HEARD_PONG, SETTLED, checked('current'), LOOK);
    expect(restartOffers(r.commands)).toBe(0);
    expect(moveOffers(r.commands)).toBe(0);
    expect(looks(r.commands)).toBe(1);
    if (r.state.kind !== 'connected') throw new Error('not connected');
    expect(r.state.live.checks).toBeNull();
  });

  it('a stale pair (the old generation) is not clean even with the pong back: looked at again, then a move', () => {
    const r = run(restarted(WITH_MOVE).state, HEARD_PONG, SETTLED, ...readings('stale'));
    expect(looks(r.commands)).toBe(PATH_CHECKS);
    expect(moveOffers(r.commands)).toBe(1);
    expect(restartOffers(r.commands)).toBe(0);
  });

  it('the pong not back: each look asks again; if it comes back over the current pair in time, clean', () => {
    const start = run(restarted(WITH_MOVE).state, SETTLED, checked('current'));
    expect(start.commands).toContainEqual({ type: 'send', message: PING });
    expect(start.commands).toContainEqual({ type: 'start-timer', id: 'path-check', ms: PATH_RECHECK_MS });
    const r = run(start.state, HEARD_PONG, LOOK, checked('current'));
    expect(moveOffers(r.commands) + restartOffers(r.commands)).toBe(0);
  });

  it('the Starter asks the Joiner to move (as a person would), it does not move itself', () => {
    const starter: SessionState = { ...JOINER, role: 'offerer', peer: WITH_MOVE, live: liveFor('offerer') };
    const asked = run(
      starter,
      { type: 'message', message: descMessage('offer', 'v=0 r', true, 0), at: AT },
      { type: 'local-answer', sdp: 'v=0 a' },
      SETTLED,
      ...readings('none'),
    );
    expect(moveOffers(asked.commands)).toBe(0);
    expect(asked.commands).toContainEqual({ type: 'send', message: RESTART_BY_PERSON });
  });

  it('a peer that cannot move: ICE is restarted again, at most MAX_RESTART_RETRIES times in a row', () => {
    let r = run(restarted().state, SETTLED, ...readings('stale'));
    for (let i = 1; i < MAX_RESTART_RETRIES; i++) {
      expect(restartOffers(r.commands), `retry ${i}`).toBe(1);
      r = run(r.state, ...RESTART_ROUND, SETTLED, ...readings('stale'));
    }
    expect(restartOffers(r.commands)).toBe(1);
    r = run(r.state, ...RESTART_ROUND, SETTLED, ...readings('stale'));
    expect(restartOffers(r.commands)).toBe(0);
  });

  it('not after a reconnect code, on either side (a person carries the answer back, however long it takes)', () => {
    const joiner = run(
      { ...JOINER, peer: WITH_MOVE },
      { type: 'make-reconnect-code' },
      { type: 'reconnect-offer', sdp: 'v=0 code' },
      { type: 'accept-reconnect-answer', sdp: 'v=0 answer' },
      { type: 'answer-applied' },
      SETTLED,
      ...readings('none'),
    );
    const starter = run(
      { ...JOINER, role: 'offerer', peer: WITH_MOVE, live: liveFor('offerer') },
      { type: 'accept-reconnect-offer', sdp: 'v=0 code' },
      { type: 'reconnect-answer', sdp: 'v=0 answer' },
      SETTLED,
      ...readings('none'),
    );
    for (const side of [joiner, starter]) {
      expect(side.commands.some((c) => c.type === 'start-timer' && c.id === 'restart-settle')).toBe(true);
      expect(looks(side.commands) + moveOffers(side.commands) + restartOffers(side.commands)).toBe(0);
      expect(side.commands).not.toContainEqual({ type: 'send', message: RESTART_BY_PERSON });
    }
  });

  it('a move that failed is not made again: its fallback ICE restart is followed by ICE restarts', () => {
    const moving = run(restarted(WITH_MOVE).state, SETTLED, ...readings('none'));
    expect(moveOffers(moving.commands)).toBe(1);
    const fell = run(moving.state, { type: 'move-failed', detail: 'x' });
    expect(restartOffers(fell.commands)).toBe(1);
    const again = run(fell.state, ...RESTART_ROUND, SETTLED, ...readings('none'));
    expect(moveOffers(again.commands)).toBe(0);
    expect(restartOffers(again.commands)).toBe(1);
  });
});

describe('a peer without ICE restarts (no "restart" in its hello)', () => {
  const NO_RESTART = { app: 'pigeon-cli', features: ['chat', 'ack', 'keepalive'] };
  const WITH_RESTART = { app: '0.1.0', features: ['chat', 'ack', 'keepalive', 'restart'] };
  const lost = [conn('disconnected', 'disconnected'), { type: 'timer', id: 'restart' } as const];

  it('the link failing, its grace running out, or its request: no restart offer is made', () => {
    const joiner: SessionState = { ...JOINER, peer: NO_RESTART };
    expect(restartOffers(run(joiner, ...lost).commands)).toBe(0);
    expect(restartOffers(run(joiner, conn('failed', 'failed')).commands)).toBe(0);
    expect(restartOffers(run(joiner, { type: 'restart-ice' }).commands)).toBe(0);
    const asked = run(joiner, { type: 'message', message: RESTART, at: AT });
    expect(restartOffers(asked.commands)).toBe(0);
  });

  it('a peer that has them (or whose hello has not come yet) is restarted as before', () => {
    expect(restartOffers(run({ ...JOINER, peer: WITH_RESTART }, ...lost).commands)).toBe(1);
    expect(restartOffers(run(JOINER, conn('failed', 'failed')).commands)).toBe(1);
  });
});
