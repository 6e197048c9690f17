import type { App } from '../../src/server/app.js';
import type { Role } from '../../src/protocol/auth.js';
import type { ProfilePatch } from '../../src/protocol/profile.js';
import { changeUser } from '../../src/server/admin/account.commands.js';
import type { TestApp } from './app.js';
import { as } from './client.js';

let counter = 0;

export interface TestUser {
  id: number;
  email: string;
  password: string;
  token: string;
  /** `Authorization` header of this user. */
  auth: { authorization: string };
  /** The app this user lives in: `as(user)` calls it. */
  app: App;
}

export interface UserOptions {
  email?: string;
  password?: string;
  username?: string;
  /** Completes onboarding (the default); `false` leaves the user at the onboarding page. */
  complete?: boolean;
  /** Shares their focus with others, as the onboarding page asks. */
  shareFocus?: boolean;
}

/** Registers a new user through the API (and completes onboarding unless told not to). */
export async function registerUser(app: App, options: UserOptions = {}): Promise<TestUser> {
  const n = ++counter;
  const email = options.email ?? `user${n}-${process.pid}-${Date.now()}@example.com`;
  const password = options.password ?? 'correct horse battery';
  const response = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email, password, ...(options.username ? { username: options.username } : {}) },
  });
  if (response.statusCode !== 200) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  const token = response.json<{ access_token: string }>().access_token;
  const auth = { authorization: `Bearer ${token}` };
  const me = await app.inject({ method: 'GET', url: '/auth/me', headers: auth });
  const id = me.json<{ id: number }>().id;
  if (options.complete !== false) {
    const username = options.username ?? `u${n}_${process.pid % 100000}`;
    const done = await app.inject({
      method: 'POST',
      url: '/api/profile/complete',
      headers: auth,
      payload: { username, ...(options.shareFocus ? { share_focus: true } : {}) },
    });
    if (done.statusCode !== 200) throw new Error(`complete failed: ${done.body}`);
  }
  return { id, email, password, token, auth, app };
}

/**
 * The factory of a test's own users: a fresh user of `t`, given `role` (through the same account
 * command as `npm run users`) and `profile` (through `PATCH /api/profile`), ready for `as(user)`.
 */
export async function makeUser(
  t: TestApp,
  options: UserOptions & { role?: Role; profile?: ProfilePatch } = {},
): Promise<TestUser> {
  const user = await registerUser(t.app, options);
  if (options.role !== undefined && options.role !== 'user') {
    await changeUser(t.services, { kind: 'cli' }, user.id, { role: options.role });
  }
  if (options.profile !== undefined) {
    const response = await as(user).patch('/api/profile', options.profile);
    if (response.statusCode !== 200) throw new Error(`profile failed: ${response.body}`);
  }
  return user;
}
