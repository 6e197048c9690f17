import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { WindowCounter } from './attempt-limiter.js';

/**
 * A store for @fastify/rate-limit on one of our window counters: with Redis it is shared by every
 * instance and, while Redis is away, falls back to this instance's own counts (where the plugin's
 * Redis store with `skipOnError` would let every request through).
 */
export function counterStore(counter: WindowCounter): FastifyRateLimitStoreCtor {
  function storeFor(prefix: string): FastifyRateLimitStore {
    return {
      incr(key, callback, timeWindow) {
        counter.hit(`${prefix}${key}`, timeWindow).then(
          ({ count, ttlMs }) => callback(null, { current: count, ttl: ttlMs }),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
      child(params) {
        // The plugin passes its merged route parameters, the route itself under `routeInfo`.
        const { routeInfo } = params as unknown as { routeInfo: { method?: unknown; url?: unknown } };
        return storeFor(`${prefix}${String(routeInfo.method)}${String(routeInfo.url)}-`);
      },
    };
  }
  return class {
    constructor() {
      return storeFor('');
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
