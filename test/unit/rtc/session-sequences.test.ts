// Property tests of the reducer over random event sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionState, TimerId } from '../../../src/rtc/model/types.ts';
import { INITIAL_STATE, reduce } from '../../../src/rtc/session/session.ts';
import { EVENTS, type EventName, eventNames } from './session-samples.ts';

describe('reduce: any sequence of events', () => {
  // Models the runner's timers from the commands: a timer left running in a state that does not expect it
  // would fire into the wrong session, and one missing would leave the session stuck.
  const expectedTimers: Record<SessionState['kind'], readonly TimerId[]> = {
    idle: [],
    gathering: [],
    'offer-ready': [],
    'answer-ready': [],
    connecting: ['connect-deadline'],
    connected: ['keepalive', 'silence'],
    closed: [],
    failed: [],
  };

  // Progress events are drawn more often so that most runs reach 'connected' and leave it again.
  const PROGRESS: readonly EventName[] = [
    'start',
    'join',
    'gathered',
    'acceptAnswer',
    'connConnected',
    'channelOpen',
  ];
  const anyEvent = fc.oneof(
    { arbitrary: fc.constantFrom(...PROGRESS), weight: 1 },
    { arbitrary: fc.constantFrom(...eventNames), weight: 2 },
  );

  it('reaches every state often (so the property below exercises them all)', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.array(anyEvent, { minLength: 20, maxLength: 80 }), (names) => {
        let state: SessionState = INITIAL_STATE;
        for (const name of names) {
          state = reduce(state, EVENTS[name]).state;
          reached.add(state.kind);
        }
      }),
    );
    expect([...reached].sort()).toEqual(Object.keys(expectedTimers).sort());
  });

  it('keeps exactly the timers each state needs, and never throws', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { minLength: 20, maxLength: 80 }), (names) => {
        let state: SessionState = INITIAL_STATE;
        const running = new Set<TimerId>();
        for (const name of names) {
          const event = EVENTS[name];
          if (event.type === 'timer') {
            // A timer only fires if it is running; firing removes it.
            if (!running.has(event.id)) continue;
            running.delete(event.id);
          }
          const result = reduce(state, event);
          for (const command of result.commands) {
            if (command.type === 'start-timer') running.add(command.id);
            if (command.type === 'cancel-timer') running.delete(command.id);
            if (command.type === 'close') running.clear();
          }
          state = result.state;
          if (state.kind === 'connected') {
            // Always pinging; 'silence' stops once it fired (link down) until the peer is heard again;
            // 'restart' runs while the link is unstable.
            expect(running.has('keepalive')).toBe(true);
            expect([...running].every((id) => ['keepalive', 'silence', 'restart'].includes(id))).toBe(true);
            expect(running.has('silence')).toBe(state.live.link !== 'down');
          } else if (state.kind === 'closed' && state.resume !== undefined) {
            // Resumable (peer gone quiet): still pinging, so the peer hears us when the path is back.
            expect(running.has('keepalive')).toBe(true);
            expect(running.has('silence')).toBe(false);
          } else {
            expect([...running].sort()).toEqual([...expectedTimers[state.kind]].sort());
          }
        }
      }),
    );
  });
});
