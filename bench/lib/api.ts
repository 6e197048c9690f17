import { randomBytes } from 'node:crypto';
import { bearer, okJson } from '../../test/helpers/http.js';

export const BENCH_PASSWORD = 'correct horse battery staple';

/**
 * The environment the server process gets: quiet logs, limits raised 1000×, a random key, tokens
 * that outlive the run, and a data folder the caller owns (and removes).
 */
export function appEnv(databaseUrl: string, dataDir: string): Record<string, string> {
  return {
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_FACTOR: '1000',
    ACCESS_TOKEN_EXPIRE_MINUTES: '240',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
  };
}

/** One JSON call that must succeed (the tests' `okJson`), signed in with `token` when given. */
export function api<T>(
  baseUrl: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown } = {},
): Promise<T> {
  return okJson<T>(baseUrl, bearer(options.token), method, route, options.body, 30_000);
}

export interface BenchUser {
  id: number;
  username: string;
  token: string;
}

/** Registers a user through `POST /auth/register` (argon2id hashing and all) and reads its id. */
export async function registerUser(baseUrl: string, username: string): Promise<BenchUser> {
  const { access_token: token } = await api<{ access_token: string }>(baseUrl, 'POST', '/auth/register', {
    body: { email: `${username}@bench.example`, password: BENCH_PASSWORD, username },
  });
  const me = await api<{ id: number }>(baseUrl, 'GET', '/auth/me', { token });
  return { id: me.id, username, token };
}

/** Registers `count` users, `parallel` at a time (argon2id makes each take tens of ms). */
export async function registerUsers(
  baseUrl: string,
  prefix: string,
  count: number,
  parallel = 4,
): Promise<BenchUser[]> {
  const users: BenchUser[] = new Array<BenchUser>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      users[index] = await registerUser(baseUrl, `${prefix}${index}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return users;
}
