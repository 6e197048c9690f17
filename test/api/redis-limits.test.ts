import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedis, type RedisConnections } from '../../src/server/bus/redis-connections.js';
import { createRedisLimiter } from '../../src/server/http/attempt-limiter.js';
import { hasRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';

describe.skipIf(!hasRedis)('limits shared through Redis', () => {
  let server: RedisServer;
  let first: RedisConnections;
  let second: RedisConnections;
  beforeAll(async () => {
    server = await startRedis();
    [first, second] = [openRedis(server.url), openRedis(server.url)];
    await Promise.all([first.ready(5_000), second.ready(5_000)]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await server.stop();
  });

  it('counts attempts made on two instances together', async () => {
    const warnings: unknown[] = [];
    const onA = createRedisLimiter(first.commands, 'test', 3, 60_000, (e) => warnings.push(e));
    const onB = createRedisLimiter(second.commands, 'test', 3, 60_000, (e) => warnings.push(e));
    expect(await onA.take('user-1')).toBe(0);
    expect(await onB.take('user-1')).toBe(0);
    expect(await onA.take('user-1')).toBe(0);
    const wait = await onB.take('user-1');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await onA.retryAfter('user-1')).toBeGreaterThan(0);
    expect(await onA.take('user-2')).toBe(0);
    await onB.reset('user-1');
    expect(await onA.retryAfter('user-1')).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('lets attempts through, with a warning, while Redis is away', async () => {
    const warnings: unknown[] = [];
    const limiter = createRedisLimiter(first.commands, 'away', 1, 60_000, (e) => warnings.push(e));
    await server.stop();
    try {
      expect(await limiter.take('user')).toBe(0);
      expect(await limiter.take('user')).toBe(0);
      expect(warnings.length).toBeGreaterThan(0);
    } finally {
      await server.start();
    }
  });
});
