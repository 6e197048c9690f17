import { once } from 'node:events';
import { Redis } from 'ioredis';

export interface RedisConnections {
  /** Commands (publish, counters, presence). Fails fast while Redis is away instead of queueing. */
  readonly commands: Redis;
  /** The one subscription of this process. */
  readonly subscriber: Redis;
  /** Resolves once both connections are up, or after `timeoutMs` (Redis may be down: we go on). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Two connections to REDIS_URL that reconnect by themselves, every 0.2–2 s. Connection errors go
 * to `onError` (they repeat while Redis is away; the caller decides how loud to be).
 */
export function openRedis(url: string, onError: (error: Error) => void = () => undefined): RedisConnections {
  const options = {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const commands = new Redis(url, { ...options, enableOfflineQueue: false });
  const subscriber = new Redis(url, options);
  commands.on('error', onError);
  subscriber.on('error', onError);
  let closing: Promise<void> | undefined;
  return {
    commands,
    subscriber,
    async ready(timeoutMs) {
      const up = (redis: Redis) =>
        redis.status === 'ready' ? Promise.resolve() : once(redis, 'ready').then(() => undefined);
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
      return Promise.race([Promise.all([up(commands), up(subscriber)]).then(() => true), timeout]);
    },
    close: () =>
      (closing ??= Promise.all([commands.quit(), subscriber.quit()]).then(
        () => undefined,
        () => undefined,
      )),
  };
}
