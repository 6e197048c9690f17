import { beforeEach } from 'vitest';
import type { Clock } from '../../src/server/context.js';

export interface FakeClock extends Clock {
  /** Moves the clock on; the server's scheduler wakes for what is due by then. */
  advance(ms: number): void;
  /** Sets the clock to `time` (ms since the epoch). */
  set(time: number): void;
}

/** A clock that only moves when told, and says so (the scheduler's timers follow it). */
export function fakeClock(start: number): FakeClock {
  let now = start;
  const listeners = new Set<() => void>();
  const moved = () => {
    for (const listener of listeners) listener();
  };
  return {
    now: () => now,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    advance(ms) {
      now += ms;
      moved();
    },
    set(time) {
      now = time;
      moved();
    },
  };
}

/**
 * The clock of a file's one app: every test of the file starts at `start` again, so no test runs
 * on the time an earlier one left (call it at the top of the `describe`, before the app is made).
 */
export function testClock(start: number): FakeClock {
  const clock = fakeClock(start);
  beforeEach(() => clock.set(start));
  return clock;
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
    set(time) {
      ahead = time - Date.now();
      for (const listener of listeners) listener();
    },
  };
}
