import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUsersCommand } from '../../src/server/cli.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { registerUser } from '../helpers/users.js';

describe.each(testDialects())('the users command on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());
  const run = (...args: string[]) => runUsersCommand(t.services, args);

  it('promotes a user to admin and back', async () => {
    const u = await registerUser(t.app);
    expect(await run('promote', u.email.toUpperCase())).toBe(`${u.email} is now an admin`);
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: u.auth })).json().role).toBe('admin');
    await run('demote', u.email);
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: u.auth })).json().role).toBe('user');
  });

  it('disables a user, who is signed out at once, and enables them again', async () => {
    const u = await registerUser(t.app);
    await run('disable', u.email);
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: u.auth })).statusCode).toBe(401);
    await run('enable', u.email);
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: u.email, password: u.password },
    });
    expect(login.statusCode).toBe(200);
  });

  it('explains bad use', async () => {
    await expect(run('explode', 'x@example.com')).rejects.toThrow(/usage/);
    await expect(run('promote', 'nobody@example.com')).rejects.toThrow('No user with the email nobody@example.com');
  });
});
