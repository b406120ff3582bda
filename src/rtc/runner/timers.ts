// Part of the runner room: the reducer's named timers. Starting one that runs restarts it; each fires once,
// as a 'timer' event.

import type { SessionEvent, TimerId } from '../model/types.ts';

export interface Timers {
  start(id: TimerId, ms: number): void;
  cancel(id: TimerId): void;
  cancelAll(): void;
}

export function createTimers(emit: (event: SessionEvent) => void): Timers {
  const running = new Map<TimerId, ReturnType<typeof setTimeout>>();
  const cancel = (id: TimerId) => {
    clearTimeout(running.get(id));
    running.delete(id);
  };
  return {
    start(id, ms) {
      cancel(id);
      running.set(
        id,
        setTimeout(() => {
          running.delete(id);
          emit({ type: 'timer', id });
        }, ms),
      );
    },
    cancel,
    cancelAll() {
      for (const handle of running.values()) clearTimeout(handle);
      running.clear();
    },
  };
}
