import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdminStats, AdminUser, AdminUserList } from '../../src/protocol/admin.js';
import { changeUser } from '../../src/server/admin/account.commands.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('the admin API on %s', (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    baseUrl = await t.listen();
  });
  afterAll(() => t.close());
  // Each test's own administrator.
  beforeEach(async () => {
    admin = await makeUser(t, { role: 'admin' });
  });

  const change = (user: TestUser, id: number | string, payload: unknown) =>
    as(user).patch(`/api/admin/users/${id}`, payload);
  const login = (user: TestUser) => guest(t.app).post('/auth/login', { email: user.email, password: user.password });

  it('answers administrators only: 401 without a session, 403 for a member', async () => {
    const member = await makeUser(t);
    for (const url of ['/api/admin/stats', '/api/admin/users']) {
      expect((await guest(t.app).get(url)).statusCode, url).toBe(401);
      const refused = await as(member).get(url);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json()).toEqual({ detail: 'Administrators only', code: 'forbidden' });
      expect((await as(admin).get(url)).statusCode, url).toBe(200);
    }
    const promoted = await change(member, member.id, { role: 'admin' });
    expect(promoted.statusCode).toBe(403);
    expect((await as(member).get('/auth/me')).json().role).toBe('user');
  });

  it('lists accounts newest first, in pages, and finds them by part of an email, username or name', async () => {
    const tag = `find${Date.now() % 100_000}`;
    const ada = await makeUser(t, { username: `${tag}_ada` });
    const bob = await makeUser(t, { email: `${tag}.BOB@example.com` });
    const cy = await makeUser(t, { profile: { display_name: `Cy ${tag.toUpperCase()} 100%` } });

    const found = (await as(admin).get(`/api/admin/users?q=${tag.toUpperCase()}`)).json<AdminUserList>();
    expect(found.total).toBe(3);
    expect(found.users.map((u) => u.id)).toEqual([cy.id, bob.id, ada.id]);
    expect(found.users[2]).toMatchObject({
      email: ada.email,
      username: `${tag}_ada`,
      role: 'user',
      disabled: false,
      profile_complete: true,
    });
    expect(Date.parse(found.users[2]?.created_at ?? '')).not.toBeNaN();

    const page = (await as(admin).get(`/api/admin/users?q=${tag}&limit=2&offset=2`)).json<AdminUserList>();
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(page.users.map((u) => u.id)).toEqual([ada.id]);
    // What a person types is searched for as it is: % and _ are not wildcards.
    const percent = (await as(admin).get(`/api/admin/users?q=${encodeURIComponent(' 100% ')}`)).json<AdminUserList>();
    expect(percent.users.map((u) => u.id)).toEqual([cy.id]);
    expect((await as(admin).get(`/api/admin/users?q=${encodeURIComponent(`${tag}%ada`)}`)).json().total).toBe(0);

    const bad = await as(admin).get('/api/admin/users?limit=0');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail[0]).toMatchObject({ loc: ['query', 'limit'], msg: 'Must be 1 or more' });
  });

  it("tells the person's own sockets, and only theirs, that their role changed", async () => {
    const member = await makeUser(t);
    const bystander = await makeUser(t);
    const theirs = await openSocket(baseUrl, { token: member.token });
    const other = await openSocket(baseUrl, { token: bystander.token });
    await Promise.all([theirs.next('hello'), other.next('hello')]);

    await change(admin, member.id, { role: 'admin' });
    expect(await theirs.next('role.changed')).toEqual({ type: 'role.changed', role: 'admin' });
    await change(admin, member.id, { role: 'user' });
    expect(await theirs.next('role.changed')).toEqual({ type: 'role.changed', role: 'user' });
    // Asking for the role it already has changes nothing and tells nobody.
    await change(admin, member.id, { role: 'user', disabled: false });
    await change(admin, bystander.id, { disabled: false });
    const ping = theirs.next('pong');
    theirs.send({ type: 'ping' });
    await ping;
    expect(theirs.events.filter((e) => e.type === 'role.changed')).toHaveLength(2);
    expect(other.events.some((e) => e.type === 'role.changed')).toBe(false);
    await Promise.all([theirs.close(), other.close()]);
  });

  it('disables someone: signed out at once, sockets included, refused at login; enabling lets them back', async () => {
    const member = await makeUser(t);
    const socket = await openSocket(baseUrl, { token: member.token });
    await socket.next('hello');

    const disabled = await change(admin, member.id, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json<AdminUser>()).toMatchObject({ id: member.id, disabled: true, role: 'user' });
    expect((await socket.closed).code).toBe(1008);
    expect((await as(member).get('/auth/me')).statusCode).toBe(401);
    expect((await login(member)).json().code).toBe('account_disabled');

    const enabled = await change(admin, member.id, { disabled: false });
    expect(enabled.json<AdminUser>().disabled).toBe(false);
    expect((await login(member)).statusCode).toBe(200);
  });

  it('promotes and demotes, but never leaves the place without an enabled admin', async () => {
    // A place of its own, so the admins of the other tests do not count.
    const own = await createTestApp(dialect);
    try {
      const ann = await makeUser(own, { role: 'admin' });
      const bob = await makeUser(own);
      const cy = await makeUser(own);

      const alone = await change(ann, ann.id, { role: 'user' });
      expect(alone.statusCode).toBe(409);
      expect(alone.json()).toEqual({
        detail: 'This is the last admin: promote someone else first, or nobody could run the place',
        code: 'last_admin',
      });
      const self = await change(ann, ann.id, { disabled: true });
      expect(self.json()).toEqual({ detail: 'You cannot disable your own account', code: 'cannot_disable_self' });

      expect((await change(ann, bob.id, { role: 'admin' })).json<AdminUser>().role).toBe('admin');
      expect((await change(bob, ann.id, { role: 'user' })).json<AdminUser>().role).toBe('user');
      expect((await as(ann).get('/api/admin/users')).statusCode).toBe(403);
      expect((await change(bob, bob.id, { role: 'user' })).json().code).toBe('last_admin');

      // Two admins demoting each other at the same moment (straight to the service, so the two
      // changes really overlap): one of them stays.
      await change(bob, cy.id, { role: 'admin' });
      const deps = { ...own.services, dialect };
      // Connections opened beforehand, or the second change waits for one while the first ends.
      await Promise.all([1, 2, 3, 4].map(() => own.database.db.selectFrom('users').select('id').execute()));
      const raced = await Promise.allSettled([
        changeUser(deps, { kind: 'admin', id: bob.id, address: null }, cy.id, { role: 'user' }),
        changeUser(deps, { kind: 'admin', id: cy.id, address: null }, bob.id, { role: 'user' }),
      ]);
      expect(raced.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const admins = await own.database.db.selectFrom('users').select('id').where('role', '=', 'admin').execute();
      expect(admins).toHaveLength(1);
    } finally {
      await own.close();
    }
  });

  it('explains a change it cannot make', async () => {
    const member = await makeUser(t);
    const empty = await change(admin, member.id, {});
    expect(empty.statusCode).toBe(422);
    expect(empty.json().detail[0].msg).toBe('Give a role, disabled, or both');
    const owner = await change(admin, member.id, { role: 'owner' });
    expect(owner.statusCode).toBe(422);
    expect(owner.json().detail[0].loc).toEqual(['body', 'role']);
    expect((await change(admin, 'abc', { role: 'admin' })).statusCode).toBe(422);
    const missing = await change(admin, 999_999, { role: 'admin' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'User not found', code: 'not_found' });
  });

  it('counts accounts and live messages', async () => {
    const before = (await as(admin).get('/api/admin/stats')).json<AdminStats>();
    const newcomer = await makeUser(t, { complete: false });
    await as(admin).post('/api/chat/messages', { content: 'hi' });
    await change(admin, newcomer.id, { disabled: true });
    const after = (await as(admin).get('/api/admin/stats')).json<AdminStats>();
    expect(after).toEqual({
      total_users: before.total_users + 1,
      admins: before.admins,
      disabled_users: before.disabled_users + 1,
      incomplete_profiles: before.incomplete_profiles + 1,
      total_messages: before.total_messages + 1,
      admin_count: before.admins,
      active_users: before.active_users + 1,
      new_users_today: before.new_users_today + 1,
    });
  });
});
