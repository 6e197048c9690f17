import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedis, type RedisConnections } from '../../src/server/bus/redis-connections.js';
import { createRedisLimiter } from '../../src/server/http/attempt-limiter.js';
import { createTestApp } from '../helpers/app.js';
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

  it("keeps this instance's own counts, with a warning, while Redis is away", async () => {
    const warnings: unknown[] = [];
    const limiter = createRedisLimiter(first.commands, 'away', 1, 60_000, (e) => warnings.push(e));
    const other = createRedisLimiter(second.commands, 'away', 1, 60_000, () => undefined);
    await server.stop();
    try {
      expect(await limiter.take('user')).toBe(0);
      expect(await limiter.take('user')).toBeGreaterThan(0);
      expect(await limiter.retryAfter('user')).toBeGreaterThan(0);
      // Another instance counts on its own meanwhile: the limit holds per instance.
      expect(await other.take('user')).toBe(0);
      expect(await other.take('user')).toBeGreaterThan(0);
      expect(warnings.length).toBeGreaterThan(0);
    } finally {
      await server.start();
    }
  });

  it('keeps the per-address request limits of @fastify/rate-limit on this instance while Redis is away', async () => {
    const t = await createTestApp('sqlite', { env: { RATE_LIMIT_FACTOR: '1', REDIS_URL: server.url } });
    try {
      await server.stop();
      const codes: number[] = [];
      for (let i = 0; i < 21; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/auth/register',
          payload: { email: `outage${i}@example.com`, password: 'password-123' },
          remoteAddress: '10.1.2.3',
        });
        codes.push(r.statusCode);
      }
      expect(codes.slice(0, 20).every((c) => c === 200)).toBe(true);
      expect(codes[20]).toBe(429);
    } finally {
      await server.start();
      await t.close();
    }
  });
});
