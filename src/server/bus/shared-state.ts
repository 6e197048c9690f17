import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { createLocalPresence, createRedisPresence, type PresenceStore } from '../realtime/presence-store.js';
import type { Config } from '../config.js';
import type { Clock } from '../context.js';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import {
  createAttemptLimiter,
  createMemoryCounter,
  createRedisCounter,
  type AttemptLimiter,
} from '../http/attempt-limiter.js';
import { counterStore } from '../http/rate-limit-store.js';
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
  /** @fastify/rate-limit's store, shared through Redis; undefined for the plugin's own memory store. */
  rateLimitStore: FastifyRateLimitStoreCtor | undefined;
  /** Waits (a bounded time) for Redis at start; false when it is not there yet. */
  ready(timeoutMs: number): Promise<boolean>;
}

export function createSharedState(config: Config, clock: Clock, log: FastifyBaseLogger, bus?: Bus): SharedState {
  if (config.redisUrl === null) {
    const counter = createMemoryCounter(clock);
    return {
      bus: bus ?? createLocalBus(),
      presence: createLocalPresence(),
      limiter: (name, limit, windowMs) => createAttemptLimiter(counter, name, limit, windowMs),
      rateLimitStore: undefined,
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
  let lastLimitWarning = 0;
  const warn = (error: unknown) => {
    if (Date.now() - lastLimitWarning < 10_000) return;
    lastLimitWarning = Date.now();
    log.warn({ err: error }, 'Redis unreachable: limits counted by this instance alone');
  };
  // One local counter behind every shared one: during an outage each instance keeps its own counts.
  const limits = createRedisCounter(redis.commands, 'codechicks:limit:', createMemoryCounter(clock), warn);
  const requests = createRedisCounter(redis.commands, 'codechicks:rate:', createMemoryCounter(clock), warn);
  return {
    bus: bus ?? createRedisBus(redis, log),
    presence: createRedisPresence(redis, randomUUID(), PRESENCE_TTL_MS),
    limiter: (name, limit, windowMs) => createAttemptLimiter(limits, name, limit, windowMs),
    rateLimitStore: counterStore(requests),
    ready: (timeoutMs) => redis.ready(timeoutMs),
  };
}
