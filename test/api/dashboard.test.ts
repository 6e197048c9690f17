import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, MyDashboard } from '../../src/protocol/dashboard.js';
import type { FocusSession } from '../../src/protocol/timer.js';
import { recordRuns } from '../../src/server/timer/timer.repository.js';
import { createTestApp, withTestApp, type TestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

const HOUR = 3_600_000;
const MIN = 60_000;

describe.each(testDialects())('dashboard on %s', (dialect) => {
  let t: TestApp;
  // 2026-03-10 20:00 UTC: already March 11 in Asia/Kolkata (UTC+5:30), still March 10 in Los Angeles.
  const clock = testClock(Date.UTC(2026, 2, 10, 20, 0));
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock, env: { ACCESS_TOKEN_EXPIRE_MINUTES: '43200' } });
  });
  afterAll(() => t.close());

  const get = async <T>(user: TestUser, url: string) => (await as(user).get<T>(url)).json();
  const inZone = (timezone: string, options: { shareFocus?: boolean } = {}) =>
    makeUser(t, { ...options, profile: { timezone } });
  // Recorded as the timer records them (focus days included).
  const addRun = (app: TestApp, user: TestUser, startedAt: number, endedAt: number, label = '') =>
    recordRuns(app.database.db, user.id, [{ startedAt, endedAt, label }]);
  const addMessage = async (user: TestUser, at: number, content = 'hi') => {
    const saved = clock.now();
    clock.set(at);
    await as(user).post('/api/chat/messages', { content });
    clock.set(saved);
  };

  it("counts users, users seen in 24 h, and joins since the caller's local midnight", async () => {
    // Counts of the whole place: an app of its own, with only these three people.
    await withTestApp(dialect, { clock, env: { ACCESS_TOKEN_EXPIRE_MINUTES: '43200' } }, async (own) => {
      const kolkata = await makeUser(own, { profile: { timezone: 'Asia/Kolkata' } });
      // 10:00 UTC on March 10: before Kolkata's midnight (18:30 UTC), after Los Angeles' (07:00 UTC).
      const angeleno = await makeUser(own, { profile: { timezone: 'America/Los_Angeles' } });
      const idle = await makeUser(own);
      const db = own.database.db;
      const created = async (user: TestUser, set: { created_at: number; last_seen_at?: number }) =>
        db.updateTable('users').set(set).where('id', '=', user.id).execute();
      await created(kolkata, { created_at: clock.now() - HOUR });
      await created(angeleno, { created_at: clock.now() - 10 * HOUR });
      await created(idle, { created_at: clock.now() - 72 * HOUR, last_seen_at: clock.now() - 25 * HOUR });

      const forKolkata = await get<Dashboard>(kolkata, '/api/dashboard');
      expect(forKolkata.user_stats).toEqual({ total_users: 3, active_users: 2, new_users_today: 1 });
      expect(forKolkata.last_updated).toBe('2026-03-10T20:00:00.000Z');
      expect((await get<Dashboard>(angeleno, '/api/dashboard')).user_stats).toEqual({
        total_users: 3,
        active_users: 2,
        new_users_today: 2,
      });
    });
  });

  it('sums focus and messages of everyone for the caller’s today and week, splitting runs at midnight', async () => {
    // Sums of the whole place: an app of its own, with only these two people's runs and messages.
    await withTestApp(dialect, { clock, env: { ACCESS_TOKEN_EXPIRE_MINUTES: '43200' } }, async (own) => {
      const a = await makeUser(own, { profile: { timezone: 'UTC' } });
      const b = await makeUser(own);
      // Tuesday 2026-03-10 in UTC. A run from 23:30 on Monday to 00:30 today counts 30 min today.
      await addRun(own, a, Date.UTC(2026, 2, 9, 23, 30), Date.UTC(2026, 2, 10, 0, 30));
      await addRun(own, b, Date.UTC(2026, 2, 10, 9, 0), Date.UTC(2026, 2, 10, 10, 0));
      // Sunday: last week.
      await addRun(own, b, Date.UTC(2026, 2, 8, 9, 0), Date.UTC(2026, 2, 8, 9, 45));
      await addMessage(a, clock.now() - 2 * HOUR);
      await addMessage(b, clock.now() - 22 * HOUR);
      await as(b).post('/api/timer/start');
      clock.advance(10 * MIN);

      const dashboard = await get<Dashboard>(a, '/api/dashboard');
      expect(dashboard.activity_summary).toMatchObject({
        total_sessions: 3,
        total_time_seconds: (60 + 60 + 45) * 60,
        average_session_minutes: 55,
      });
      expect(dashboard.global_metrics).toMatchObject({ total_timer_starts: 4, total_messages_sent: 2 });
      expect(dashboard.community).toMatchObject({
        messages_today: 1,
        // Today: 30 min of a's run across midnight, b's hour, and b's running 10 minutes.
        focus_seconds_today: (30 + 60 + 10) * 60,
        // This week (since Monday): the whole run across midnight too, but not Sunday's run.
        focus_seconds_week: (60 + 60 + 10) * 60,
      });
    });
  });

  it('gives a user in Asia/Kolkata and one in America/Los_Angeles their own today and 30 days', async () => {
    const kolkata = await inZone('Asia/Kolkata');
    const angeleno = await inZone('America/Los_Angeles');
    // 19:00–19:30 UTC on March 10: March 11 00:30–01:00 in Kolkata, March 10 12:00–12:30 in Los Angeles.
    for (const user of [kolkata, angeleno])
      await addRun(t, user, Date.UTC(2026, 2, 10, 19), Date.UTC(2026, 2, 10, 19, 30));
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
    const u = await inZone('America/Los_Angeles');
    // Los Angeles springs forward on Sunday 2026-03-08: that day has 23 hours.
    // Runs from Saturday 23:00 local to Monday 01:00 local, cut in two (no run is longer than 24 h).
    const saturday23 = Date.UTC(2026, 2, 8, 7); // 23:00 PST
    const sunday12 = Date.UTC(2026, 2, 8, 19); // 12:00 PDT
    const monday01 = Date.UTC(2026, 2, 9, 8); // 01:00 PDT
    await addRun(t, u, saturday23, sunday12);
    await addRun(t, u, sunday12, monday01);
    const days = new Map((await get<MyDashboard>(u, '/api/dashboard/me')).daily.map((d) => [d.date, d.focus_seconds]));
    expect(days.get('2026-03-07')).toBe(3600);
    expect(days.get('2026-03-08')).toBe(23 * 3600);
    expect(days.get('2026-03-09')).toBe(3600);
  });

  it('counts streaks in local days and breaks them on a missed day', async () => {
    const u = await inZone('Asia/Kolkata');
    // Kolkata days (UTC+5:30): noon local is 06:30 UTC.
    const noon = (day: number) => Date.UTC(2026, 2, day, 6, 30);
    for (const day of [1, 2, 3, 4]) await addRun(t, u, noon(day), noon(day) + 20 * MIN);
    for (const day of [8, 9, 10]) await addRun(t, u, noon(day), noon(day) + 20 * MIN);
    // Now is March 11 01:30 in Kolkata with nothing yet today: the streak of March 8–10 is alive.
    const mine = await get<MyDashboard>(u, '/api/dashboard/me');
    expect(mine.focus).toMatchObject({ streak_days: 3, longest_streak_days: 4, sessions: 7 });

    clock.set(Date.UTC(2026, 2, 12, 6, 30)); // March 12: March 11 was missed.
    expect((await get<MyDashboard>(u, '/api/dashboard/me')).focus).toMatchObject({
      streak_days: 0,
      longest_streak_days: 4,
    });
  });

  it('keeps streak days as they were recorded, and takes a deleted run back', async () => {
    const u = await makeUser(t);
    // Recorded through the timer in UTC, on two days: March 8 23:00–23:30 and March 9 01:00–01:30.
    for (const start of [Date.UTC(2026, 2, 8, 23), Date.UTC(2026, 2, 9, 1)]) {
      clock.set(start);
      await as(u).post('/api/timer/start');
      clock.advance(30 * MIN);
      await as(u).post('/api/timer/pause');
    }
    clock.set(Date.UTC(2026, 2, 9, 20));
    const focus = async () => (await get<MyDashboard>(u, '/api/dashboard/me')).focus;
    expect(await focus()).toMatchObject({ streak_days: 2, longest_streak_days: 2, sessions: 2 });
    // In Kolkata both runs would fall on March 9; they stay on the days they were recorded on.
    // Now is March 10 01:30 there: the streak of March 8–9 is alive.
    await as(u).patch('/api/profile', { timezone: 'Asia/Kolkata' });
    expect(await focus()).toMatchObject({ streak_days: 2, longest_streak_days: 2, total_seconds: 3600 });
    const runs = (await as(u).get<FocusSession[]>('/api/timer/sessions')).json();
    const second = runs.find((r) => r.started_at.startsWith('2026-03-09'));
    expect((await as(u).delete(`/api/timer/sessions/${second?.id}`)).statusCode).toBe(204);
    expect(await focus()).toMatchObject({ streak_days: 0, longest_streak_days: 1, sessions: 1, total_seconds: 1800 });
  });

  it('shows online and focusing people from presence', async () => {
    const base = await t.listen();
    const viewer = await makeUser(t);
    const focuser = await makeUser(t, { shareFocus: true });
    const before = await get<Dashboard>(viewer, '/api/dashboard');
    await as(focuser).post('/api/timer/start');
    const socket = await openSocket(base, { token: focuser.token });
    await socket.next('presence', (p) => p.online.some((u) => u.id === focuser.id && u.focusing !== null));
    const after = await get<Dashboard>(viewer, '/api/dashboard');
    expect(after.community.online_now - before.community.online_now).toBe(1);
    expect(after.community.focusing_now - before.community.focusing_now).toBe(1);
    await socket.close();
  });
});
