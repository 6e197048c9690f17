import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type App } from '../../src/server/app.js';
import { loadConfig, type Config, type Env } from '../../src/server/config.js';
import type { Bus } from '../../src/server/bus/bus.js';
import { createLocalBus } from '../../src/server/bus/local-bus.js';
import { systemClock, type Clock } from '../../src/server/context.js';
import { resolveSecretKey } from '../../src/server/secret-key.js';
import type { DatabaseHandle, DialectName } from '../../src/server/db/database.js';
import { openTestDatabase } from './database.js';

export interface TestApp {
  app: App;
  config: Config;
  dialect: DialectName;
  /** The app's own database, for arranging what the API cannot (e.g. a legacy password hash). */
  database: DatabaseHandle & { url: string };
  /** What services outside the app need to act as the app would (e.g. to disable a user). */
  services: { db: DatabaseHandle['db']; clock: Clock; bus: Bus; dialect: DialectName; config: Config };
  /** Listens on 127.0.0.1 and `port` (default: a free one); returns the base URL. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

/** Test defaults: a random secret, quiet logs, limits raised (tests of limits set RATE_LIMIT_FACTOR: '1'). */
export function testConfig(env: Env = {}): Config {
  const result = loadConfig({
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_FACTOR: '100',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'codechicks-data-')),
    ...env,
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return resolveSecretKey(result.config, () => undefined);
}

export async function createTestApp(
  dialect: DialectName,
  options: { env?: Env; clock?: Clock; requestTimeoutMs?: number } = {},
): Promise<TestApp> {
  const config = testConfig(options.env);
  const database = await openTestDatabase(dialect);
  const bus = createLocalBus();
  const clock = options.clock ?? systemClock;
  const app = await buildApp(config, { database, clock, bus, requestTimeoutMs: options.requestTimeoutMs });
  await app.ready();
  return {
    app,
    config,
    dialect,
    database,
    services: { db: database.db, clock, bus, dialect, config },
    async listen(port = 0) {
      await app.listen({ host: '127.0.0.1', port });
      const address = app.server.address();
      if (typeof address !== 'object' || address === null) throw new Error('not listening');
      return `http://127.0.0.1:${address.port}`;
    },
    close: () => app.close(),
  };
}

/** A test's own app, closed after `work`: for what counts the whole place (a file's shared app holds other tests' data). */
export async function withTestApp<T>(
  dialect: DialectName,
  options: Parameters<typeof createTestApp>[1],
  work: (t: TestApp) => Promise<T>,
): Promise<T> {
  const t = await createTestApp(dialect, options);
  try {
    return await work(t);
  } finally {
    await t.close();
  }
}
