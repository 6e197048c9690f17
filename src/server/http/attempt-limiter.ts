import type { Clock } from '../context.js';

/**
 * Counts attempts per key in fixed windows: failed logins per account and per address, chat
 * messages per user. Unlike a request limiter it counts only what the caller records.
 */
export interface AttemptLimiter {
  /** Seconds to wait before another attempt, or 0 when one is allowed. */
  retryAfter(key: string): number;
  record(key: string): void;
  reset(key: string): void;
}

export function createAttemptLimiter(limit: number, windowMs: number, clock: Clock): AttemptLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();

  function current(key: string) {
    const now = clock.now();
    const window = windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      windows.delete(key);
      return undefined;
    }
    return window;
  }

  function sweep(now: number) {
    for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
  }

  return {
    retryAfter(key) {
      const window = current(key);
      return window !== undefined && window.count >= limit ? Math.ceil((window.endsAt - clock.now()) / 1000) : 0;
    },
    record(key) {
      const now = clock.now();
      if (windows.size > 10_000) sweep(now);
      const window = current(key) ?? { count: 0, endsAt: now + windowMs };
      window.count += 1;
      windows.set(key, window);
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
