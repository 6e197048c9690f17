import { Redis } from 'ioredis';

export interface RedisConnections {
  /** Commands (publish, counters, presence). Fails fast while Redis is away instead of queueing. */
  readonly commands: Redis;
  /** The one subscription of this process. */
  readonly subscriber: Redis;
  close(): Promise<void>;
}

/** Two connections to REDIS_URL that reconnect by themselves, every 0.2–2 s. */
export function openRedis(url: string): RedisConnections {
  const options = {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const commands = new Redis(url, { ...options, enableOfflineQueue: false });
  const subscriber = new Redis(url, options);
  let closing: Promise<void> | undefined;
  return {
    commands,
    subscriber,
    close: () =>
      (closing ??= Promise.all([commands.quit(), subscriber.quit()]).then(
        () => undefined,
        () => undefined,
      )),
  };
}
