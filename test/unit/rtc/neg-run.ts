// Runs the negotiation machine over a list of events (shared by the negotiation tests).
import type { NegCommand, NegEvent, NegState } from '../../../src/rtc/inband/neg-model.ts';
import { negotiate } from '../../../src/rtc/inband/negotiation.ts';

/** Feeds the events in order: the last state and every command. */
export function run(state: NegState, ...events: NegEvent[]): { state: NegState; commands: NegCommand[] } {
  const commands: NegCommand[] = [];
  let current = state;
  for (const event of events) {
    const result = negotiate(current, event);
    current = result.state;
    commands.push(...result.commands);
  }
  return { state: current, commands };
}
