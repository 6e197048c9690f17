import type { Clock } from '../../src/server/context.js';

export interface FakeClock extends Clock {
  /** Moves the clock on; the server's scheduler wakes for what is due by then. */
  advance(ms: number): void;
}

/** A clock that only moves when told, and says so (the scheduler's timers follow it). */
export function fakeClock(start: number): FakeClock {
  let now = start;
  const listeners = new Set<() => void>();
  return {
    now: () => now,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    advance(ms) {
      now += ms;
      for (const listener of listeners) listener();
    },
  };
}

/** Real time plus what the test moved it on by: for a server that pages talk to (browser tests). */
export function followingClock(): FakeClock {
  let ahead = 0;
  const listeners = new Set<() => void>();
  return {
    now: () => Date.now() + ahead,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    advance(ms) {
      ahead += ms;
      for (const listener of listeners) listener();
    },
  };
}
