import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/chat.js';
import type { AuditList, ReportCreated, ReportList } from '../../src/protocol/moderation.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('reports and slow mode on %s', (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let baseUrl: string;
  const clock = testClock(Date.parse('2026-12-01T10:00:00Z'));
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    baseUrl = await t.listen();
  });
  // Each test's own moderator.
  beforeEach(async () => {
    admin = await makeUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  const post = async (user: TestUser, content: string) =>
    (await as(user).post('/api/chat/messages', { content })).json<Message>();
  const report = (user: TestUser, id: number, reason = 'spam') =>
    as(user).post(`/api/chat/messages/${id}/report`, { reason });
  const lastAudit = async () => (await as(admin).get('/api/admin/audit?limit=1')).json<AuditList>().entries[0];

  it('takes one open report per person per message, lists it with its reporters, and counts it live', async () => {
    const [writer, ann, bob] = await Promise.all([makeUser(t), makeUser(t), makeUser(t)]);
    const adminSocket = await openSocket(baseUrl, { token: admin.token });
    const memberSocket = await openSocket(baseUrl, { token: bob.token });
    await Promise.all([adminSocket.next('hello'), memberSocket.next('hello')]);
    const before = (await as(admin).get('/api/admin/reports/count')).json<{ open_count: number }>().open_count;
    const message = await post(writer, 'buy cheap watches');

    const first = await report(ann, message.id, '  selling things  ');
    expect(first.statusCode).toBe(201);
    expect(first.json<ReportCreated>()).toMatchObject({ message_id: message.id });
    expect(await adminSocket.next('reports.changed')).toEqual({ type: 'reports.changed', open_count: before + 1 });
    const again = await report(ann, message.id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ detail: 'You have reported this message already', code: 'already_reported' });
    expect((await report(bob, message.id, 'spam')).statusCode).toBe(201);
    // A second reporter of the same message: still one message to look at.
    expect(await adminSocket.next('reports.changed')).toEqual({ type: 'reports.changed', open_count: before + 1 });

    expect((await report(writer, message.id)).json().code).toBe('cannot_report_own');
    expect((await report(ann, 999_999)).statusCode).toBe(404);
    expect((await report(ann, message.id, ' ')).statusCode).toBe(422);
    expect((await report(ann, message.id, 'x'.repeat(501))).statusCode).toBe(422);

    const listed = (await as(admin).get('/api/admin/reports?status=open')).json<ReportList>();
    expect(listed.open_count).toBe(before + 1);
    expect(listed.reports[0]).toMatchObject({
      message_id: message.id,
      content: 'buy cheap watches',
      message_deleted: false,
      sender: { id: writer.id },
      reporters: [
        { person: { id: ann.id }, reason: 'selling things' },
        { person: { id: bob.id }, reason: 'spam' },
      ],
      resolution: null,
    });
    // Only admins hear of reports.
    expect(memberSocket.events.some((e) => e.type === 'reports.changed')).toBe(false);
    await Promise.all([adminSocket.close(), memberSocket.close()]);
  });

  it('resolves by deleting: every report of the message closes, every open page drops it, one audit row', async () => {
    const [writer, ann, bob] = await Promise.all([makeUser(t), makeUser(t), makeUser(t)]);
    const message = await post(writer, 'something awful');
    const reportId = (await report(ann, message.id)).json<ReportCreated>().id;
    await report(bob, message.id);
    const pages = await Promise.all([writer, ann, admin].map((u) => openSocket(baseUrl, { token: u.token })));
    await Promise.all(pages.map((p) => p.next('hello')));

    const resolved = await as(admin).post(`/api/admin/reports/${reportId}/resolve`, { action: 'delete' });
    expect(resolved.statusCode).toBe(200);
    for (const page of pages)
      expect(await page.next('message.deleted')).toEqual({ type: 'message.deleted', id: message.id });
    expect((await as(ann).get(`/api/chat/messages/${message.id}`)).statusCode).toBe(404);
    const open = (await as(admin).get('/api/admin/reports')).json<ReportList>();
    expect(open.reports.some((r) => r.message_id === message.id)).toBe(false);
    const closed = (await as(admin).get('/api/admin/reports?status=resolved')).json<ReportList>();
    expect(closed.reports.find((r) => r.message_id === message.id)).toMatchObject({
      resolution: 'delete',
      message_deleted: true,
    });
    expect(await lastAudit()).toMatchObject({
      actor: { id: admin.id },
      action: 'report.resolved',
      target_user: { id: writer.id },
      target_message_id: message.id,
      details: { action: 'delete', reports_closed: 2 },
    });
    const twice = await as(admin).post(`/api/admin/reports/${reportId}/resolve`, { action: 'dismiss' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'already_resolved' });
    await Promise.all(pages.map((p) => p.close()));
  });

  it('dismisses a report and keeps the message; an admin deleting a message leaves one audit row', async () => {
    const [writer, ann] = await Promise.all([makeUser(t), makeUser(t)]);
    const message = await post(writer, 'borderline');
    const reportId = (await report(ann, message.id)).json<ReportCreated>().id;
    await as(admin).post(`/api/admin/reports/${reportId}/resolve`, { action: 'dismiss' });
    expect((await as(ann).get(`/api/chat/messages/${message.id}`)).statusCode).toBe(200);
    expect((await lastAudit())?.details).toEqual({ action: 'dismiss', reports_closed: 1 });
    expect((await report(ann, message.id)).statusCode).toBe(201);

    const before = (await lastAudit())?.id ?? 0;
    await as(admin).delete(`/api/chat/messages/${message.id}`);
    expect(await lastAudit()).toMatchObject({
      action: 'message.deleted',
      actor: { id: admin.id },
      target_user: { id: writer.id },
      target_message_id: message.id,
    });
    // Deleting one's own message is no admin action.
    const own = await post(writer, 'mine to delete');
    const idBefore = (await lastAudit())?.id;
    await as(writer).delete(`/api/chat/messages/${own.id}`);
    expect((await lastAudit())?.id).toBe(idBefore);
    expect(idBefore).toBeGreaterThan(before);
  });

  it('slow mode: a member posts once per window over HTTP and WebSocket alike, admins are exempt', async () => {
    const member = await makeUser(t);
    const memberSocket = await openSocket(baseUrl, { token: member.token });
    const hello = await memberSocket.next('hello');
    expect(hello.posting).toEqual({
      slow_mode_seconds: 0,
      timed_out_until: null,
      next_post_at: null,
      slow_mode_exempt: false,
    });

    const set = await as(admin).put('/api/admin/chat/settings', { slow_mode_seconds: 30 });
    expect(set.json()).toEqual({ slow_mode_seconds: 30 });
    expect(await memberSocket.next('chat.settings')).toEqual({ type: 'chat.settings', slow_mode_seconds: 30 });
    expect(await lastAudit()).toMatchObject({
      action: 'slow_mode.changed',
      actor: { id: admin.id },
      details: { slow_mode_seconds: { from: 0, to: 30 } },
    });
    expect((await as(admin).put('/api/admin/chat/settings', { slow_mode_seconds: 3601 })).statusCode).toBe(422);

    expect((await as(member).post('/api/chat/messages', { content: 'first' })).statusCode).toBe(201);
    const next = new Date(clock.now() + 30_000).toISOString();
    clock.advance(10_000);
    const refused = await as(member).post('/api/chat/messages', { content: 'second' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('20');
    expect(refused.json()).toEqual({
      detail: 'Slow mode is on: you can post again in 20 s',
      code: 'slow_mode',
      until: next,
    });
    memberSocket.send({ type: 'message.send', ref: 'slow', content: 'second, over the socket' });
    expect(await memberSocket.next('error')).toMatchObject({ ref: 'slow', code: 'slow_mode', until: next });
    expect((await as(member).get('/api/chat/posting')).json()).toMatchObject({ next_post_at: next });

    for (const content of ['admin one', 'admin two']) {
      expect((await as(admin).post('/api/chat/messages', { content })).statusCode).toBe(201);
    }
    clock.advance(20_000);
    memberSocket.send({ type: 'message.send', ref: 'later', content: 'after the window' });
    expect((await memberSocket.next('ack')).ref).toBe('later');

    await as(admin).put('/api/admin/chat/settings', { slow_mode_seconds: 0 });
    expect((await as(member).post('/api/chat/messages', { content: 'off again' })).statusCode).toBe(201);
    await memberSocket.close();
  });
});
