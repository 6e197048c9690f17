import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/protocol/auth.js';
import type { AuditList } from '../../src/protocol/moderation.js';
import { runUsersCommand } from '../../src/server/cli.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('the users command on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    // The first account is the admin by itself: it is taken here, so every test's users start as members.
    await makeUser(t);
  });
  afterAll(() => t.close());
  const run = (...args: string[]) => runUsersCommand(t.services, args);
  const me = (u: TestUser) => as(u).get<Me>('/auth/me');

  it('promotes a user to admin and back', async () => {
    const u = await makeUser(t);
    expect((await me(u)).json().role).toBe('user');
    expect(await run('promote', u.email.toUpperCase())).toBe(`${u.email} is now an admin`);
    expect((await me(u)).json().role).toBe('admin');
    expect(await run('demote', u.email)).toBe(`${u.email} is no longer an admin`);
    expect((await me(u)).json().role).toBe('user');
  });

  it('disables a user, who is signed out at once, and enables them again', async () => {
    const u = await makeUser(t);
    await run('disable', u.email);
    expect((await me(u)).statusCode).toBe(401);
    await run('enable', u.email);
    const login = await guest(t.app).post('/auth/login', { email: u.email, password: u.password });
    expect(login.statusCode).toBe(200);
  });

  it('follows the same rules as the admin page: never the last enabled admin', async () => {
    const own = await createTestApp(dialect);
    try {
      const only = await makeUser(own);
      const refused = 'This is the last admin: promote someone else first, or nobody could run the place';
      await expect(runUsersCommand(own.services, ['demote', only.email])).rejects.toThrow(refused);
      await expect(runUsersCommand(own.services, ['disable', only.email])).rejects.toThrow(refused);
      const after = await as(only).get<Me>('/auth/me');
      expect(after.json()).toMatchObject({ role: 'admin', disabled: false });
    } finally {
      await own.close();
    }
  });

  it('tells open pages of a role change without closing them, and leaves an audit row by cli', async () => {
    const baseUrl = await t.listen();
    const admin = await makeUser(t, { role: 'admin' });
    const u = await makeUser(t);
    const socket = await openSocket(baseUrl, { token: u.token });
    await socket.next('hello');
    await run('promote', u.email);
    expect(await socket.next('role.changed')).toEqual({ type: 'role.changed', role: 'admin' });
    await run('demote', u.email);
    expect(await socket.next('role.changed')).toEqual({ type: 'role.changed', role: 'user' });
    const pong = socket.next('pong');
    socket.send({ type: 'ping' });
    await pong;
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    await socket.close();

    const audit = await as(admin).get<AuditList>('/api/admin/audit?limit=2');
    expect(audit.json().entries).toMatchObject([
      { actor_kind: 'cli', actor: null, action: 'account.changed', target_user: { id: u.id }, address: null },
      { actor_kind: 'cli', actor: null, action: 'account.changed', target_user: { id: u.id }, address: null },
    ]);
    expect(audit.json().entries.map((e) => e.details)).toEqual([
      { role: { from: 'admin', to: 'user' } },
      { role: { from: 'user', to: 'admin' } },
    ]);
  });

  it('explains bad use', async () => {
    await expect(run('explode', 'x@example.com')).rejects.toThrow(/usage/);
    await expect(run('promote', 'nobody@example.com')).rejects.toThrow('No user with the email nobody@example.com');
  });
});
