import type { Redis, Result } from 'ioredis';
import { systemClock, type Clock } from '../context.js';

/**
 * Counts attempts per key in fixed windows: failed logins per account and per address, chat
 * messages per user. Unlike a request limiter it counts only what the caller records.
 */
export interface AttemptLimiter {
  /** Seconds to wait before another attempt, or 0 when one is allowed. */
  retryAfter(key: string): Promise<number>;
  /** Records an attempt and, in the same step, says how long to wait when it was one too many (0: allowed). */
  take(key: string): Promise<number>;
  /** Gives back one attempt taken in this window (an attempt reserved that turned out not to count). */
  refund(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** A key's count in its window after a hit, and the milliseconds left in that window. */
export interface WindowHit {
  count: number;
  ttlMs: number;
}

/** Counts hits per key in fixed windows; a key's window starts with its first hit. */
export interface WindowCounter {
  hit(key: string, windowMs: number): Promise<WindowHit>;
  /** The current window's count (0 and ttl 0 when there is none), without counting. */
  peek(key: string): Promise<WindowHit>;
  refund(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** An attempt limiter of `limit` per `windowMs` on a counter, its keys prefixed by `name`. */
export function createAttemptLimiter(counter: WindowCounter, name: string, limit: number, windowMs: number) {
  const keyOf = (key: string) => `${name}:${key}`;
  const wait = ({ ttlMs }: WindowHit) => Math.max(1, Math.ceil(ttlMs / 1000));
  return {
    async retryAfter(key) {
      const current = await counter.peek(keyOf(key));
      return current.count >= limit && current.ttlMs > 0 ? wait(current) : 0;
    },
    async take(key) {
      // Counted and compared in one step: parallel attempts cannot all pass.
      const current = await counter.hit(keyOf(key), windowMs);
      return current.count > limit ? wait(current) : 0;
    },
    refund: (key) => counter.refund(keyOf(key)),
    reset: (key) => counter.reset(keyOf(key)),
  } satisfies AttemptLimiter;
}

/** One process's counters, in memory (swept when they pass 10,000 keys). */
export function createMemoryCounter(clock: Clock): WindowCounter {
  const windows = new Map<string, { count: number; endsAt: number }>();

  function current(key: string) {
    const window = windows.get(key);
    if (window === undefined || window.endsAt <= clock.now()) {
      windows.delete(key);
      return undefined;
    }
    return window;
  }

  function sweep(now: number) {
    for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
  }

  const hitOf = (window: { count: number; endsAt: number } | undefined): WindowHit =>
    window === undefined ? { count: 0, ttlMs: 0 } : { count: window.count, ttlMs: window.endsAt - clock.now() };

  return {
    async hit(key, windowMs) {
      const now = clock.now();
      if (windows.size > 10_000) sweep(now);
      const window = current(key) ?? { count: 0, endsAt: now + windowMs };
      window.count += 1;
      windows.set(key, window);
      return hitOf(window);
    },
    async peek(key) {
      return hitOf(current(key));
    },
    async refund(key) {
      const window = current(key);
      if (window !== undefined && window.count > 0) window.count -= 1;
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

// Plain INCR, PTTL and PEXPIRE (no `PEXPIRE … NX`, which is Redis 7): works on Redis 6.2 and older.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const PEEK_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {count, ttl}`;

// DECR on a key that has expired would create one without expiry: only an existing one.
const REFUND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end
return 0`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    codechicksHit(key: string, windowMs: number): Result<[number, number], Context>;
    codechicksPeek(key: string): Result<[number, number], Context>;
    codechicksRefund(key: string): Result<number, Context>;
  }
}

/**
 * Counters shared by every instance, in Redis (Lua scripts, so each hit is one atomic step).
 * While Redis cannot answer, this instance counts on its own in `fallback`: the limits then hold
 * per instance instead of letting everything through, and a limit never takes the service down.
 */
export function createRedisCounter(
  redis: Redis,
  prefix: string,
  fallback: WindowCounter,
  warn: (error: unknown) => void,
): WindowCounter {
  if (typeof redis.codechicksHit !== 'function') {
    redis.defineCommand('codechicksHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    redis.defineCommand('codechicksPeek', { numberOfKeys: 1, lua: PEEK_SCRIPT });
    redis.defineCommand('codechicksRefund', { numberOfKeys: 1, lua: REFUND_SCRIPT });
  }
  const keyOf = (key: string) => `${prefix}${key}`;
  async function orFallback<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      return await shared();
    } catch (error) {
      warn(error);
      return local();
    }
  }
  const toHit = ([count, ttlMs]: [number, number]): WindowHit => ({ count, ttlMs });
  return {
    hit: (key, windowMs) =>
      orFallback(
        async () => toHit(await redis.codechicksHit(keyOf(key), windowMs)),
        () => fallback.hit(key, windowMs),
      ),
    peek: (key) =>
      orFallback(
        async () => toHit(await redis.codechicksPeek(keyOf(key))),
        () => fallback.peek(key),
      ),
    refund: (key) =>
      orFallback(
        async () => void (await redis.codechicksRefund(keyOf(key))),
        () => fallback.refund(key),
      ),
    async reset(key) {
      await fallback.reset(key);
      await orFallback(
        async () => void (await redis.del(keyOf(key))),
        async () => undefined,
      );
    },
  };
}

/** An attempt limiter shared through Redis, counting on this instance alone while Redis is away. */
export function createRedisLimiter(
  redis: Redis,
  name: string,
  limit: number,
  windowMs: number,
  warn: (error: unknown) => void,
  clock: Clock = systemClock,
): AttemptLimiter {
  const counter = createRedisCounter(redis, 'codechicks:limit:', createMemoryCounter(clock), warn);
  return createAttemptLimiter(counter, name, limit, windowMs);
}
