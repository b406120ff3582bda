// Link health after ICE restarts: a restart whose new ICE session has not come up when it settles is made
// again, a bounded number of times; one that came up is left alone.
import { describe, expect, it } from 'vitest';
import { PING, PONG } from '../../../src/rtc/inband/control.ts';
import { descMessage, RESTART } from '../../../src/rtc/inband/signal.ts';
import { liveFor, MAX_RESTART_RETRIES } from '../../../src/rtc/link/live.ts';
import type { Command, SessionEvent, SessionState } from '../../../src/rtc/model/types.ts';
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

describe('restarts that do not come up', () => {
  it('are made again when they settle, at most MAX_RESTART_RETRIES times in a row', () => {
    let r = run(JOINER, { type: 'restart-ice' }, ...RESTART_ROUND, conn('connecting', 'checking'));
    expect(restartOffers(r.commands)).toBe(1);
    for (let i = 0; i < MAX_RESTART_RETRIES; i++) {
      r = run(r.state, SETTLED, ...RESTART_ROUND);
      expect(restartOffers(r.commands)).toBe(1);
    }
    expect(restartOffers(run(r.state, SETTLED).commands)).toBe(0);
  });

  it('one that came up is left alone, and a later one may retry again', () => {
    const up = run(JOINER, { type: 'restart-ice' }, ...RESTART_ROUND, conn('connecting', 'checking'));
    const retried = run(up.state, SETTLED, ...RESTART_ROUND, conn('connected', 'connected'), HEARD_PONG);
    expect(restartOffers(retried.commands)).toBe(1);
    expect(restartOffers(run(retried.state, SETTLED).commands)).toBe(0);
    if (retried.state.kind !== 'connected') throw new Error('not connected');
    expect(retried.state.live.retries).toBe(0);
  });

  it('connected, but the peer not heard over the restart: made again (a ping asked it; its pong leaves it alone)', () => {
    const done = run(JOINER, { type: 'restart-ice' }, ...RESTART_ROUND, conn('connected', 'connected'));
    // The exchange ends with a ping: the peer's pong is the proof that the new path carries.
    expect(done.commands).toContainEqual({ type: 'send', message: PING });
    expect(restartOffers(run(done.state, SETTLED).commands)).toBe(1);
    expect(restartOffers(run(done.state, HEARD_PONG, SETTLED).commands)).toBe(0);
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
