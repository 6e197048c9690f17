import type { App } from '../../src/server/app.js';

let counter = 0;

export interface TestUser {
  id: number;
  email: string;
  password: string;
  token: string;
  /** `Authorization` header of this user. */
  auth: { authorization: string };
}

/**
 * Registers a new user through the API (and completes onboarding unless told not to, sharing
 * their focus with others only when `shareFocus` says so, as the onboarding page asks).
 */
export async function registerUser(
  app: App,
  options: { email?: string; password?: string; username?: string; complete?: boolean; shareFocus?: boolean } = {},
): Promise<TestUser> {
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
  return { id, email, password, token, auth };
}
