import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdminUser, AdminUserList } from '../../src/protocol/admin.js';
import type { Message } from '../../src/protocol/chat.js';
import type { AuditEntry, AuditList } from '../../src/protocol/moderation.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('account moderation on %s', (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let baseUrl: string;
  const clock = testClock(Date.parse('2026-12-01T10:00:00Z'));
  let admins = 0;
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    baseUrl = await t.listen();
  });
  // Each test's own administrator.
  beforeEach(async () => {
    admin = await makeUser(t, { role: 'admin', username: `the_admin${++admins}` });
  });
  afterAll(() => t.close());

  /** The audit rows written since `sinceId`, oldest first. */
  const auditSince = async (sinceId: number): Promise<AuditEntry[]> =>
    (await as(admin).get('/api/admin/audit?limit=100'))
      .json<AuditList>()
      .entries.filter((e) => e.id > sinceId)
      .reverse();
  const lastAuditId = async () =>
    (await as(admin).get('/api/admin/audit?limit=1')).json<AuditList>().entries[0]?.id ?? 0;

  it('answers 401 signed out and 403 to members on every new admin route', async () => {
    const member = await makeUser(t);
    const routes: [method: 'GET' | 'POST' | 'PUT', url: string, payload?: object][] = [
      ['GET', '/api/admin/audit'],
      ['GET', '/api/admin/reports'],
      ['GET', '/api/admin/reports/count'],
      ['POST', '/api/admin/reports/1/resolve', { action: 'dismiss' }],
      ['GET', '/api/admin/chat/settings'],
      ['PUT', '/api/admin/chat/settings', { slow_mode_seconds: 10 }],
      ['POST', `/api/admin/users/${member.id}/timeout`, { minutes: 10 }],
    ];
    for (const [method, url, payload] of routes) {
      expect((await guest(t.app).request(method, url, payload)).statusCode, `${method} ${url}`).toBe(401);
      const refused = await as(member).request(method, url, payload);
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json()).toEqual({ detail: 'Administrators only', code: 'forbidden' });
    }
    for (const [method, url] of [
      ['POST', '/api/chat/messages/1/report'],
      ['GET', '/api/chat/posting'],
    ] as const) {
      expect((await guest(t.app).request(method, url, { reason: 'spam' })).statusCode, url).toBe(401);
    }
    expect((await as(member).get('/api/admin/chat/settings')).statusCode).toBe(403);
  });

  it('times someone out: posting, editing and reacting refused with the end time, allowed again after it', async () => {
    const member = await makeUser(t);
    const message = (await as(member).post('/api/chat/messages', { content: 'before the timeout' })).json<Message>();
    const socket = await openSocket(baseUrl, { token: member.token });
    await socket.next('hello');
    const since = await lastAuditId();

    const timedOut = await as(admin).post(`/api/admin/users/${member.id}/timeout`, { minutes: 10 });
    expect(timedOut.statusCode).toBe(200);
    const until = new Date(clock.now() + 10 * 60_000).toISOString();
    expect(timedOut.json<AdminUser>()).toMatchObject({ id: member.id, timed_out_until: until });
    expect(await socket.next('timeout.changed')).toEqual({ type: 'timeout.changed', timed_out_until: until });

    const refusals = [
      await as(member).post('/api/chat/messages', { content: 'let me talk' }),
      await as(member).patch(`/api/chat/messages/${message.id}`, { content: 'edited' }),
      await as(member).post(`/api/chat/messages/${message.id}/reactions`, { emoji: '👍' }),
    ];
    for (const refused of refusals) {
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'timed_out', until });
    }
    socket.send({ type: 'message.send', ref: 'r1', content: 'over the socket' });
    expect(await socket.next('error')).toMatchObject({ ref: 'r1', code: 'timed_out', until });
    // Reading goes on.
    expect((await as(member).get('/api/chat/messages')).statusCode).toBe(200);
    expect((await as(member).get('/api/chat/posting')).json()).toMatchObject({ timed_out_until: until });

    clock.advance(10 * 60_000);
    expect((await as(member).post('/api/chat/messages', { content: 'I am back' })).statusCode).toBe(201);
    expect((await as(member).patch(`/api/chat/messages/${message.id}`, { content: 'edited' })).statusCode).toBe(200);
    expect((await as(admin).get(`/api/admin/users?q=${member.email}`)).json<AdminUserList>().users[0]).toMatchObject({
      timed_out_until: null,
    });

    expect(await auditSince(since)).toMatchObject([
      {
        actor_kind: 'admin',
        actor: { id: admin.id, username: `the_admin${admins}` },
        action: 'account.timed_out',
        target_user: { id: member.id },
        details: { minutes: 10, until },
        address: '127.0.0.1',
      },
    ]);
    await socket.close();
  });

  it('lifts a timeout with 0, and never times out an admin or oneself', async () => {
    const member = await makeUser(t);
    await as(admin).post(`/api/admin/users/${member.id}/timeout`, { minutes: 60 });
    const lifted = await as(admin).post(`/api/admin/users/${member.id}/timeout`, { minutes: 0 });
    expect(lifted.json<AdminUser>().timed_out_until).toBeNull();
    expect((await as(member).post('/api/chat/messages', { content: 'free again' })).statusCode).toBe(201);

    const other = await makeUser(t);
    await as(admin).patch(`/api/admin/users/${other.id}`, { role: 'admin' });
    for (const id of [other.id, admin.id]) {
      const refused = await as(admin).post(`/api/admin/users/${id}/timeout`, { minutes: 5 });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('cannot_time_out');
    }
    const tooLong = await as(admin).post(`/api/admin/users/${member.id}/timeout`, { minutes: 10_081 });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().detail[0].msg).toBe('Must be 1–10080 minutes, or 0 to lift the timeout');
    await as(admin).patch(`/api/admin/users/${other.id}`, { role: 'user' });
  });

  it('leaves exactly one audit row per account change, with actor, target and what changed', async () => {
    const member = await makeUser(t);
    const since = await lastAuditId();
    await as(admin).patch(`/api/admin/users/${member.id}`, { role: 'admin' });
    await as(admin).patch(`/api/admin/users/${member.id}`, { role: 'user', disabled: true });
    await as(admin).patch(`/api/admin/users/${member.id}`, { disabled: false });
    // Nothing changes: nothing to record.
    await as(admin).patch(`/api/admin/users/${member.id}`, { disabled: false });
    const rows = await auditSince(since);
    expect(rows.map((r) => [r.action, r.actor?.id, r.target_user?.id, r.details])).toEqual([
      ['account.changed', admin.id, member.id, { role: { from: 'user', to: 'admin' } }],
      [
        'account.changed',
        admin.id,
        member.id,
        { role: { from: 'admin', to: 'user' }, disabled: { from: false, to: true } },
      ],
      ['account.changed', admin.id, member.id, { disabled: { from: true, to: false } }],
    ]);
  });

  it('pages the audit newest first with a cursor', async () => {
    const member = await makeUser(t);
    const since = await lastAuditId();
    for (const minutes of [10, 20, 0]) await as(admin).post(`/api/admin/users/${member.id}/timeout`, { minutes });
    const mine = (await auditSince(since)).map((e) => e.id);
    expect(mine).toHaveLength(3);
    const first = (await as(admin).get('/api/admin/audit?limit=2')).json<AuditList>();
    expect(first.entries.map((e) => e.id)).toEqual([mine[2], mine[1]]);
    expect(first.next_before).toBe(mine[1]);
    const next = (await as(admin).get(`/api/admin/audit?limit=2&before=${first.next_before}`)).json<AuditList>();
    expect(next.entries[0]?.id).toBe(mine[0]);
    expect((await as(admin).get('/api/admin/audit?limit=101')).statusCode).toBe(422);
  });

  it('filters accounts by role, disabled and timed out, and sorts by joined or last seen', async () => {
    const tag = `flt${Date.now() % 100_000}`;
    const ann = await makeUser(t, { username: `${tag}_ann` });
    const bob = await makeUser(t, { username: `${tag}_bob` });
    const cy = await makeUser(t, { username: `${tag}_cy` });
    await as(admin).patch(`/api/admin/users/${ann.id}`, { role: 'admin' });
    await as(admin).patch(`/api/admin/users/${bob.id}`, { disabled: true });
    await as(admin).post(`/api/admin/users/${cy.id}/timeout`, { minutes: 30 });
    const ids = async (query: string) =>
      (await as(admin).get(`/api/admin/users?q=${tag}&${query}`)).json<AdminUserList>().users.map((u) => u.id);
    expect(await ids('role=admin')).toEqual([ann.id]);
    expect(await ids('role=user')).toEqual([cy.id, bob.id]);
    expect(await ids('state=disabled')).toEqual([bob.id]);
    expect(await ids('state=timed_out')).toEqual([cy.id]);
    expect(await ids('sort=joined')).toEqual([cy.id, bob.id, ann.id]);

    // Ann is seen last (later than the others' registration), Bob was never seen after his.
    await t.database.db.updateTable('users').set({ last_seen_at: null }).where('id', '=', bob.id).execute();
    clock.advance(5 * 60_000);
    await as(ann).get('/auth/me');
    expect(await ids('sort=last_seen')).toEqual([ann.id, cy.id, bob.id]);
    expect((await as(admin).get('/api/admin/users?state=gone')).statusCode).toBe(422);
  });
});
