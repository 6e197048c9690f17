import { createTokenService } from '../../src/server/auth/tokens.js';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/db/database.js';
import { resolveSecretKey } from '../../src/server/secret-key.js';
import { sessionCookieName } from '../../src/server/http/session.js';
import { seedCommunity } from './seed.js';

export interface People {
  /** One `Cookie` header per person, signed in as a page is (their session token in the cookie). */
  cookies: string[];
  tokens: string[];
  seconds: number;
}

/**
 * `count` people, inserted straight into the app's database (`seedCommunity`, users only: hashing
 * 10,000 passwords through `/auth/register` would take minutes) and signed in with tokens the
 * app's own token service issues from the configuration `env` gives the server.
 */
export async function seedPeople(env: Record<string, string>, count: number): Promise<People> {
  const started = performance.now();
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const config = resolveSecretKey(loaded.config, console.warn);
  const handle = await openDatabase(config.databaseUrl);
  let firstUserId: number;
  try {
    const size = { users: count, messages: 0, focusRuns: 0, timers: 0, runningTimers: 0, days: 1 };
    ({ firstUserId } = await seedCommunity(handle, size, Date.now()));
  } finally {
    await handle.close();
  }
  const service = createTokenService(config.secretKey, config.algorithm, config.accessTokenExpireMinutes, Date.now);
  // Seeded users have token version 0.
  const tokens = await Promise.all(Array.from({ length: count }, (_, i) => service.issue(firstUserId + i, 0)));
  const cookie = sessionCookieName(config.production);
  return {
    tokens,
    cookies: tokens.map((token) => `${cookie}=${token}`),
    seconds: (performance.now() - started) / 1000,
  };
}
