import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, MyDashboard } from '../../src/protocol/dashboard.js';
import { recordRuns } from '../../src/server/timer/timer.repository.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { registerUser, type TestUser } from '../helpers/users.js';

const HOUR = 3_600_000;
const MIN = 60_000;

describe.each(testDialects())('dashboard on %s', (dialect) => {
  let t: TestApp;
  // 2026-03-10 20:00 UTC: already March 11 in Asia/Kolkata (UTC+5:30), still March 10 in Los Angeles.
  let now = Date.UTC(2026, 2, 10, 20, 0);
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock: { now: () => now }, env: { ACCESS_TOKEN_EXPIRE_MINUTES: '43200' } });
  });
  afterAll(() => t.close());

  const get = async <T>(user: TestUser, url: string) =>
    (await t.app.inject({ method: 'GET', url, headers: user.auth })).json<T>();
  const setZone = (user: TestUser, timezone: string) =>
    t.database.db.updateTable('users').set({ timezone }).where('id', '=', user.id).execute();
  // Recorded as the timer records them (focus days included).
  const addRun = (user: TestUser, startedAt: number, endedAt: number, label = '') =>
    recordRuns(t.database.db, user.id, [{ startedAt, endedAt, label }]);
  const addMessage = async (user: TestUser, at: number, content = 'hi') => {
    const saved = now;
    now = at;
    await t.app.inject({ method: 'POST', url: '/api/chat/messages', headers: user.auth, payload: { content } });
    now = saved;
  };

  it("counts users, users seen in 24 h, and joins since the caller's local midnight", async () => {
    const kolkata = await registerUser(t.app);
    const angeleno = await registerUser(t.app);
    const idle = await registerUser(t.app);
    const db = t.database.db;
    await setZone(kolkata, 'Asia/Kolkata');
    await db
      .updateTable('users')
      .set({ created_at: now - HOUR })
      .where('id', '=', kolkata.id)
      .execute();
    // 10:00 UTC on March 10: before Kolkata's midnight (18:30 UTC), after Los Angeles' (07:00 UTC).
    await setZone(angeleno, 'America/Los_Angeles');
    await db
      .updateTable('users')
      .set({ created_at: now - 10 * HOUR })
      .where('id', '=', angeleno.id)
      .execute();
    await db
      .updateTable('users')
      .set({ created_at: now - 72 * HOUR, last_seen_at: now - 25 * HOUR })
      .where('id', '=', idle.id)
      .execute();

    const forKolkata = await get<Dashboard>(kolkata, '/api/dashboard');
    expect(forKolkata.user_stats).toEqual({ total_users: 3, active_users: 2, new_users_today: 1 });
    expect(forKolkata.last_updated).toBe('2026-03-10T20:00:00.000Z');
    expect((await get<Dashboard>(angeleno, '/api/dashboard')).user_stats).toEqual({
      total_users: 3,
      active_users: 2,
      new_users_today: 2,
    });
  });

  it('sums focus and messages of everyone for the caller’s today and week, splitting runs at midnight', async () => {
    const before = await get<Dashboard>(await registerUser(t.app), '/api/dashboard');
    const a = await registerUser(t.app);
    const b = await registerUser(t.app);
    await setZone(a, 'UTC');
    // Tuesday 2026-03-10 in UTC. A run from 23:30 on Monday to 00:30 today counts 30 min today.
    await addRun(a, Date.UTC(2026, 2, 9, 23, 30), Date.UTC(2026, 2, 10, 0, 30));
    await addRun(b, Date.UTC(2026, 2, 10, 9, 0), Date.UTC(2026, 2, 10, 10, 0));
    // Sunday: last week.
    await addRun(b, Date.UTC(2026, 2, 8, 9, 0), Date.UTC(2026, 2, 8, 9, 45));
    await addMessage(a, now - 2 * HOUR);
    await addMessage(b, now - 22 * HOUR);
    await t.app.inject({ method: 'POST', url: '/api/timer/start', headers: b.auth });
    now += 10 * MIN;

    const after = await get<Dashboard>(a, '/api/dashboard');
    expect(after.activity_summary.total_sessions - before.activity_summary.total_sessions).toBe(3);
    expect(after.activity_summary.total_time_seconds - before.activity_summary.total_time_seconds).toBe(
      (60 + 60 + 45) * 60,
    );
    expect(after.global_metrics.total_timer_starts - before.global_metrics.total_timer_starts).toBe(4);
    expect(after.global_metrics.total_messages_sent - before.global_metrics.total_messages_sent).toBe(2);
    expect(after.community.messages_today - before.community.messages_today).toBe(1);
    // Today: 30 min of a's run across midnight, b's hour, and b's running 10 minutes.
    expect(after.community.focus_seconds_today - before.community.focus_seconds_today).toBe((30 + 60 + 10) * 60);
    // This week (since Monday): the whole run across midnight too, but not Sunday's run.
    expect(after.community.focus_seconds_week - before.community.focus_seconds_week).toBe((60 + 60 + 10) * 60);
    expect(after.activity_summary.average_session_minutes).toBeGreaterThan(0);
    await t.app.inject({ method: 'POST', url: '/api/timer/reset', headers: b.auth });
  });

  it('gives a user in Asia/Kolkata and one in America/Los_Angeles their own today and 30 days', async () => {
    const kolkata = await registerUser(t.app);
    const angeleno = await registerUser(t.app);
    await setZone(kolkata, 'Asia/Kolkata');
    await setZone(angeleno, 'America/Los_Angeles');
    // 19:00–19:30 UTC on March 10: March 11 00:30–01:00 in Kolkata, March 10 12:00–12:30 in Los Angeles.
    for (const user of [kolkata, angeleno])
      await addRun(user, Date.UTC(2026, 2, 10, 19), Date.UTC(2026, 2, 10, 19, 30));
    await addMessage(kolkata, Date.UTC(2026, 2, 10, 19, 5));

    const k = await get<MyDashboard>(kolkata, '/api/dashboard/me');
    expect(k.daily).toHaveLength(30);
    expect(k.daily.at(-1)).toEqual({ date: '2026-03-11', focus_seconds: 1800, messages: 1 });
    expect(k.focus).toMatchObject({ today_seconds: 1800, total_seconds: 1800, sessions: 1, streak_days: 1 });
    expect(k.total_messages_sent).toBe(1);
    expect(k.user_email).toBe(kolkata.email);

    const l = await get<MyDashboard>(angeleno, '/api/dashboard/me');
    expect(l.daily.at(-1)).toEqual({ date: '2026-03-10', focus_seconds: 1800, messages: 0 });
    expect(l.daily[0]?.date).toBe('2026-02-09');
  });

  it('splits a run across local midnight and gives a DST change day its real length', async () => {
    const u = await registerUser(t.app);
    await setZone(u, 'America/Los_Angeles');
    // Los Angeles springs forward on Sunday 2026-03-08: that day has 23 hours.
    // Runs from Saturday 23:00 local to Monday 01:00 local, cut in two (no run is longer than 24 h).
    const saturday23 = Date.UTC(2026, 2, 8, 7); // 23:00 PST
    const sunday12 = Date.UTC(2026, 2, 8, 19); // 12:00 PDT
    const monday01 = Date.UTC(2026, 2, 9, 8); // 01:00 PDT
    await addRun(u, saturday23, sunday12);
    await addRun(u, sunday12, monday01);
    const days = new Map((await get<MyDashboard>(u, '/api/dashboard/me')).daily.map((d) => [d.date, d.focus_seconds]));
    expect(days.get('2026-03-07')).toBe(3600);
    expect(days.get('2026-03-08')).toBe(23 * 3600);
    expect(days.get('2026-03-09')).toBe(3600);
  });

  it('counts streaks in local days and breaks them on a missed day', async () => {
    const u = await registerUser(t.app);
    await setZone(u, 'Asia/Kolkata');
    // Kolkata days (UTC+5:30): noon local is 06:30 UTC.
    const noon = (day: number) => Date.UTC(2026, 2, day, 6, 30);
    for (const day of [1, 2, 3, 4]) await addRun(u, noon(day), noon(day) + 20 * MIN);
    for (const day of [8, 9, 10]) await addRun(u, noon(day), noon(day) + 20 * MIN);
    // Now is March 11 01:30 in Kolkata with nothing yet today: the streak of March 8–10 is alive.
    const mine = await get<MyDashboard>(u, '/api/dashboard/me');
    expect(mine.focus).toMatchObject({ streak_days: 3, longest_streak_days: 4, sessions: 7 });

    const later = now;
    now = Date.UTC(2026, 2, 12, 6, 30); // March 12: March 11 was missed.
    expect((await get<MyDashboard>(u, '/api/dashboard/me')).focus).toMatchObject({
      streak_days: 0,
      longest_streak_days: 4,
    });
    now = later;
  });

  it('keeps streak days as they were recorded, and takes a deleted run back', async () => {
    const u = await registerUser(t.app);
    const call = (method: 'POST' | 'DELETE', url: string) => t.app.inject({ method, url, headers: u.auth });
    const saved = now;
    // Recorded through the timer in UTC, on two days: March 8 23:00–23:30 and March 9 01:00–01:30.
    for (const start of [Date.UTC(2026, 2, 8, 23), Date.UTC(2026, 2, 9, 1)]) {
      now = start;
      await call('POST', '/api/timer/start');
      now += 30 * MIN;
      await call('POST', '/api/timer/pause');
    }
    now = Date.UTC(2026, 2, 9, 20);
    const focus = async () => (await get<MyDashboard>(u, '/api/dashboard/me')).focus;
    expect(await focus()).toMatchObject({ streak_days: 2, longest_streak_days: 2, sessions: 2 });
    // In Kolkata both runs would fall on March 9; they stay on the days they were recorded on.
    // Now is March 10 01:30 there: the streak of March 8–9 is alive.
    await setZone(u, 'Asia/Kolkata');
    expect(await focus()).toMatchObject({ streak_days: 2, longest_streak_days: 2, total_seconds: 3600 });
    const runs = (await t.app.inject({ method: 'GET', url: '/api/timer/sessions', headers: u.auth })).json<
      { id: number; started_at: string }[]
    >();
    const second = runs.find((r) => r.started_at.startsWith('2026-03-09'));
    expect((await call('DELETE', `/api/timer/sessions/${second?.id}`)).statusCode).toBe(204);
    expect(await focus()).toMatchObject({ streak_days: 0, longest_streak_days: 1, sessions: 1, total_seconds: 1800 });
    now = saved;
  });

  it('shows online and focusing people from presence', async () => {
    const base = await t.listen();
    const viewer = await registerUser(t.app);
    const focuser = await registerUser(t.app, { shareFocus: true });
    const before = await get<Dashboard>(viewer, '/api/dashboard');
    await t.app.inject({ method: 'POST', url: '/api/timer/start', headers: focuser.auth });
    const socket = await openSocket(base, { token: focuser.token });
    await socket.next('presence', (p) => p.online.some((u) => u.id === focuser.id && u.focusing !== null));
    const after = await get<Dashboard>(viewer, '/api/dashboard');
    expect(after.community.online_now - before.community.online_now).toBe(1);
    expect(after.community.focusing_now - before.community.focusing_now).toBe(1);
    await socket.close();
  });
});
