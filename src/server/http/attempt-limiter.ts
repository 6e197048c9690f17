import type { Redis } from 'ioredis';
import type { Clock } from '../context.js';

/**
 * Counts attempts per key in fixed windows: failed logins per account and per address, chat
 * messages per user. Unlike a request limiter it counts only what the caller records.
 */
export interface AttemptLimiter {
  /** Seconds to wait before another attempt, or 0 when one is allowed. */
  retryAfter(key: string): Promise<number>;
  record(key: string): Promise<void>;
  /** Records an attempt and, in the same step, says how long to wait when it was one too many (0: allowed). */
  take(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

/** One process's counters, in memory. */
export function createMemoryLimiter(limit: number, windowMs: number, clock: Clock): AttemptLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();

  function current(key: string) {
    const window = windows.get(key);
    if (window === undefined || window.endsAt <= clock.now()) {
      windows.delete(key);
      return undefined;
    }
    return window;
  }

  function count(key: string) {
    const now = clock.now();
    if (windows.size > 10_000) sweep(now);
    const window = current(key) ?? { count: 0, endsAt: now + windowMs };
    window.count += 1;
    windows.set(key, window);
    return window;
  }

  function sweep(now: number) {
    for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
  }

  return {
    async retryAfter(key) {
      const window = current(key);
      return window !== undefined && window.count >= limit ? Math.ceil((window.endsAt - clock.now()) / 1000) : 0;
    },
    async record(key) {
      count(key);
    },
    async take(key) {
      // Counted and compared in one step, with no await between: parallel attempts cannot all pass.
      const window = count(key);
      return window.count > limit ? Math.ceil((window.endsAt - clock.now()) / 1000) : 0;
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

/**
 * Counters shared by every instance, in Redis (INCR with an expiry set by the first attempt).
 * When Redis cannot answer, attempts are let through: a limit never takes the service down.
 */
export function createRedisLimiter(
  redis: Redis,
  name: string,
  limit: number,
  windowMs: number,
  warn: (error: unknown) => void,
): AttemptLimiter {
  const keyOf = (key: string) => `codechicks:limit:${name}:${key}`;
  return {
    async retryAfter(key) {
      try {
        const [[, count], [, ttl]] = (await redis.multi().get(keyOf(key)).pttl(keyOf(key)).exec()) as [
          [null, string | null],
          [null, number],
        ];
        return Number(count ?? 0) >= limit && ttl > 0 ? Math.ceil(ttl / 1000) : 0;
      } catch (error) {
        warn(error);
        return 0;
      }
    },
    async record(key) {
      try {
        await redis.multi().incr(keyOf(key)).pexpire(keyOf(key), windowMs, 'NX').exec();
      } catch (error) {
        warn(error);
      }
    },
    async take(key) {
      try {
        const [[, count], , [, ttl]] = (await redis
          .multi()
          .incr(keyOf(key))
          .pexpire(keyOf(key), windowMs, 'NX')
          .pttl(keyOf(key))
          .exec()) as [[null, number], unknown, [null, number]];
        return count > limit ? Math.max(1, Math.ceil(ttl / 1000)) : 0;
      } catch (error) {
        warn(error);
        return 0;
      }
    },
    async reset(key) {
      try {
        await redis.del(keyOf(key));
      } catch (error) {
        warn(error);
      }
    },
  };
}
