/**
 * Several instances: the chat fan-out of `fanout.ts` against the app on PostgreSQL and Redis, once
 * with every client on one instance (the baseline) and once with the same clients spread over two
 * instances (the sender on the first, so half the deliveries cross Redis), in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasRedis, startRedis } from '../test/helpers/redis-server.js';
import { measureTargets, type FanoutOptions, type FanoutResult } from './fanout.js';
import { appEnv } from './lib/api.js';
import { startServer } from './lib/child.js';
import { obtainPostgres } from './lib/postgres.js';

export interface ScaleOutOptions extends FanoutOptions {
  postgresAdminUrl: string | undefined;
}

export type ScaleOutResult = (FanoutResult & { database: string; redis: string }) | { skipped: string };

export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutResult> {
  const { log } = options;
  if (!hasRedis) return skip(log, 'no redis-server on this machine');
  const postgres = await obtainPostgres(options.postgresAdminUrl);
  if (postgres === undefined) return skip(log, 'no PostgreSQL (set BENCH_DATABASE_URL or install postgresql)');
  const redis = await startRedis();
  const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-bench-scaleout-'));
  // One environment for every instance: the same database, Redis and secret key.
  const env = { ...appEnv(postgres.url, dir), REDIS_URL: redis.url };
  try {
    const result = await measureTargets(options, 'scale-out', env, [
      { label: 'baseline: 1 instance', app: true, start: async () => [await startServer('app', env)] },
      {
        label: '2 instances',
        app: true,
        start: () => Promise.all([startServer('app', env), startServer('app', env)]),
      },
    ]);
    return {
      ...result,
      database: `PostgreSQL ${postgres.version} (${postgres.source})`,
      redis: 'private redis-server',
    };
  } finally {
    await redis.stop();
    await postgres.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

function skip(log: (line: string) => void, reason: string): ScaleOutResult {
  log(`\n!!! [scale-out] SKIPPED: ${reason}.\n`);
  return { skipped: reason };
}
