import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { createLocalPresence, createRedisPresence, type PresenceStore } from '../chat/presence-store.js';
import type { Config } from '../config.js';
import type { Clock } from '../context.js';
import { createMemoryLimiter, createRedisLimiter, type AttemptLimiter } from '../http/attempt-limiter.js';
import type { Bus } from './bus.js';
import { createLocalBus } from './local-bus.js';
import { createRedisBus } from './redis-bus.js';
import { openRedis } from './redis-connections.js';

/** A crashed instance's users leave the shared presence within this long. */
const PRESENCE_TTL_MS = 40_000;

/**
 * What instances must share: events, presence and counters. In one process (no REDIS_URL) all
 * of it lives in memory; with REDIS_URL, in Redis, so N instances behave as one.
 */
export interface SharedState {
  bus: Bus;
  presence: PresenceStore;
  limiter(name: string, limit: number, windowMs: number): AttemptLimiter;
  /** The Redis connection for @fastify/rate-limit's store, or undefined for its memory store. */
  rateLimitRedis: Redis | undefined;
  /** Waits (a bounded time) for Redis at start; false when it is not there yet. */
  ready(timeoutMs: number): Promise<boolean>;
}

export function createSharedState(config: Config, clock: Clock, log: FastifyBaseLogger, bus?: Bus): SharedState {
  if (config.redisUrl === null) {
    return {
      bus: bus ?? createLocalBus(),
      presence: createLocalPresence(),
      limiter: (_name, limit, windowMs) => createMemoryLimiter(limit, windowMs, clock),
      rateLimitRedis: undefined,
      ready: async () => true,
    };
  }
  let lastWarning = 0;
  const redis = openRedis(config.redisUrl, (error) => {
    // While Redis is away this repeats at every reconnect attempt: say it at most every 10 s.
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    log.warn({ err: error }, 'Redis unreachable');
  });
  const warn = (error: unknown) => log.warn({ err: error }, 'Redis unreachable: limit not counted');
  return {
    bus: bus ?? createRedisBus(redis, log),
    presence: createRedisPresence(redis, randomUUID(), PRESENCE_TTL_MS),
    limiter: (name, limit, windowMs) => createRedisLimiter(redis.commands, name, limit, windowMs, warn),
    rateLimitRedis: redis.commands,
    ready: (timeoutMs) => redis.ready(timeoutMs),
  };
}
