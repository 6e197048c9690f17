import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnlineUser } from '../../src/protocol/chat.js';
import type { ErrorBody } from '../../src/protocol/errors.js';
import type { FocusSession, TimerState } from '../../src/protocol/timer.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

const MIN = 60_000;

describe.each(testDialects())('focus timer API on %s', (dialect) => {
  let t: TestApp;
  const clock = testClock(Date.UTC(2026, 10, 20, 9, 0));
  beforeAll(async () => {
    // The fake clock jumps days ahead: tokens must outlive the jumps.
    t = await createTestApp(dialect, { clock, env: { ACCESS_TOKEN_EXPIRE_MINUTES: '43200' } });
  });
  afterAll(() => t.close());

  const timer = async (user: TestUser, method: 'GET' | 'POST', url: string, payload?: object) =>
    (method === 'GET' ? await as(user).get<TimerState>(url) : await as(user).post<TimerState>(url, payload)).json();
  const sessions = async (user: TestUser) => (await as(user).get<FocusSession[]>('/api/timer/sessions')).json();

  it('starts idle, runs, pauses into a recorded session, resumes and resets', async () => {
    const u = await makeUser(t);
    expect(await timer(u, 'GET', '/api/timer')).toMatchObject({
      state: 'idle',
      elapsed_ms: 0,
      run_started_at: null,
      version: 0,
    });
    const started = await timer(u, 'POST', '/api/timer/start', { label: '  writing docs ', target_minutes: 50 });
    expect(started).toMatchObject({
      state: 'running',
      elapsed_ms: 0,
      label: 'writing docs',
      target_ms: 50 * MIN,
      run_started_at: new Date(clock.now()).toISOString(),
      server_time: new Date(clock.now()).toISOString(),
      version: 1,
    });
    clock.advance(10 * MIN);
    expect(await timer(u, 'GET', '/api/timer')).toMatchObject({ state: 'running', elapsed_ms: 10 * MIN });
    const paused = await timer(u, 'POST', '/api/timer/pause');
    expect(paused).toMatchObject({ state: 'paused', elapsed_ms: 10 * MIN, version: 2 });
    expect(await sessions(u)).toEqual([
      {
        id: expect.any(Number),
        started_at: new Date(clock.now() - 10 * MIN).toISOString(),
        ended_at: new Date(clock.now()).toISOString(),
        duration_ms: 10 * MIN,
        label: 'writing docs',
      },
    ]);
    clock.advance(5 * MIN);
    await timer(u, 'POST', '/api/timer/start');
    clock.advance(5 * MIN);
    expect(await timer(u, 'POST', '/api/timer/reset')).toMatchObject({ state: 'idle', elapsed_ms: 0 });
    expect(await sessions(u)).toHaveLength(2);
  });

  it('makes one run of 20 parallel starts and one session of two pauses', async () => {
    const u = await makeUser(t);
    const states = await Promise.all(Array.from({ length: 20 }, () => timer(u, 'POST', '/api/timer/start')));
    expect(new Set(states.map((s) => s.run_started_at)).size).toBe(1);
    expect(states.every((s) => s.state === 'running')).toBe(true);
    clock.advance(MIN);
    await Promise.all([timer(u, 'POST', '/api/timer/pause'), timer(u, 'POST', '/api/timer/pause')]);
    await timer(u, 'POST', '/api/timer/pause');
    expect(await sessions(u)).toHaveLength(1);
  });

  it('ends a pomodoro at its target by itself, and a forgotten run at MAX_RUN_HOURS', async () => {
    const u = await makeUser(t);
    const startedAt = clock.now();
    await timer(u, 'POST', '/api/timer/start', { target_minutes: 25 });
    clock.advance(3 * 60 * MIN);
    expect(await timer(u, 'GET', '/api/timer')).toMatchObject({
      state: 'paused',
      elapsed_ms: 25 * MIN,
      ended_by: 'target',
    });
    expect((await sessions(u))[0]).toMatchObject({
      duration_ms: 25 * MIN,
      ended_at: new Date(startedAt + 25 * MIN).toISOString(),
    });

    const v = await makeUser(t);
    await timer(v, 'POST', '/api/timer/start', { label: 'forgot it' });
    clock.advance(22 * 60 * MIN);
    expect(await timer(v, 'GET', '/api/status')).toEqual({ elapsed_time: 8 * 60 * MIN, is_running: false });
    expect((await sessions(v))[0]).toMatchObject({ duration_ms: 8 * 60 * MIN, label: 'forgot it' });
  });

  it("keeps the earlier version's four routes, per user", async () => {
    const u = await makeUser(t);
    const other = await makeUser(t);
    expect(await timer(u, 'POST', '/api/start')).toEqual({ elapsed_time: 0, is_running: true });
    clock.advance(1500);
    expect(await timer(u, 'GET', '/api/status')).toEqual({ elapsed_time: 1500, is_running: true });
    expect(await timer(other, 'GET', '/api/status')).toEqual({ elapsed_time: 0, is_running: false });
    clock.advance(500);
    expect(await timer(u, 'POST', '/api/stop')).toEqual({ elapsed_time: 2000, is_running: false });
    expect(await timer(u, 'POST', '/api/reset')).toEqual({ elapsed_time: 0, is_running: false });
    expect((await guest(t.app).get('/api/status')).statusCode).toBe(401);
  });

  it("hides other users' sessions and refuses to touch them", async () => {
    const owner = await makeUser(t);
    const stranger = await makeUser(t);
    await timer(owner, 'POST', '/api/timer/start', { label: 'mine' });
    clock.advance(MIN);
    await timer(owner, 'POST', '/api/timer/pause');
    const [session] = await sessions(owner);
    expect(await sessions(stranger)).toEqual([]);
    const url = `/api/timer/sessions/${session?.id}`;
    const patch = await as(stranger).patch(url, { label: 'stolen' });
    expect(patch.statusCode).toBe(404);
    expect(patch.json<ErrorBody>()).toEqual({ detail: 'Session not found', code: 'not_found' });
    expect((await as(stranger).delete(url)).statusCode).toBe(404);

    const relabeled = await as(owner).patch<FocusSession>(url, { label: ' renamed ' });
    expect(relabeled.json()).toMatchObject({ label: 'renamed' });
    expect((await as(owner).delete(url)).statusCode).toBe(204);
    expect(await sessions(owner)).toEqual([]);
  });

  it('filters sessions by range and exports them as CSV with UTC and local times', async () => {
    const u = await makeUser(t, { profile: { timezone: 'Asia/Kolkata' } });
    clock.set(Date.UTC(2026, 10, 25, 20, 0));
    await timer(u, 'POST', '/api/timer/start', { label: 'night, "owl"' });
    clock.advance(90 * MIN);
    await timer(u, 'POST', '/api/timer/pause');
    await timer(u, 'POST', '/api/timer/start', { label: '=HYPERLINK("x")' });
    clock.advance(MIN);
    await timer(u, 'POST', '/api/timer/pause');

    const inRange = await as(u).get<FocusSession[]>(
      `/api/timer/sessions?from=2026-11-25T21:00:00Z&to=2026-11-25T21:10:00Z`,
    );
    expect(inRange.json().map((s) => s.label)).toEqual(['night, "owl"']);

    const csv = await as(u).get('/api/timer/sessions.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe(
      'id,started_at_utc,ended_at_utc,started_at_local,ended_at_local,time_zone,duration_seconds,label',
    );
    expect(lines[1]).toMatch(
      /^\d+,2026-11-25T20:00:00\.000Z,2026-11-25T21:30:00\.000Z,2026-11-26 01:30:00,2026-11-26 03:00:00,Asia\/Kolkata,5400,"night, ""owl"""$/,
    );
    expect(lines[2]).toMatch(/,60,"'=HYPERLINK\(""x""\)"$/);
    expect(lines[3]).toBe('');
  });

  it('validates label and target', async () => {
    const u = await makeUser(t);
    for (const payload of [
      { label: 'x'.repeat(81) },
      { target_minutes: 0 },
      { target_minutes: 241 },
      { target_minutes: 2.5 },
    ]) {
      expect((await as(u).post('/api/timer/start', payload)).statusCode).toBe(422);
    }
    expect((await timer(u, 'GET', '/api/timer')).state).toBe('idle');
  });
});

describe.each(testDialects())('timer events on %s', (dialect) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    base = await t.listen();
  });
  afterAll(() => t.close());

  it("pushes timer.updated to all of the user's sockets and to nobody else; presence shows the focus", async () => {
    const owner = await makeUser(t, { shareFocus: true });
    const stranger = await makeUser(t);
    const [tabA, tabB, theirs] = await Promise.all([
      openSocket(base, { token: owner.token }),
      openSocket(base, { token: owner.token }),
      openSocket(base, { token: stranger.token }),
    ]);
    await Promise.all([tabA.next('hello'), tabB.next('hello'), theirs.next('hello')]);

    await as(owner).post('/api/timer/start', { label: 'refactor', target_minutes: 50 });
    const [a, b] = await Promise.all([tabA.next('timer.updated'), tabB.next('timer.updated')]);
    expect(a.timer).toMatchObject({ state: 'running', label: 'refactor', version: 1 });
    expect(b.timer).toEqual(a.timer);
    const presence = await theirs.next('presence', (p) =>
      p.online.some((u) => u.id === owner.id && u.focusing !== null),
    );
    expect(presence.online.find((u) => u.id === owner.id)?.focusing).toEqual({
      since: a.timer.run_started_at,
      label: 'refactor',
      ends_at: new Date(Date.parse(a.timer.run_started_at!) + 50 * 60_000).toISOString(),
    });

    await as(owner).patch('/api/profile', { share_focus: false });
    await theirs.next('presence', (p) => p.online.some((u) => u.id === owner.id && u.focusing === null));

    await as(owner).post('/api/timer/pause');
    expect((await tabB.next('timer.updated')).timer.state).toBe('paused');
    await new Promise((r) => setTimeout(r, 200));
    expect(theirs.events.some((e) => e.type === 'timer.updated')).toBe(false);
    await Promise.all([tabA.close(), tabB.close(), theirs.close()]);
  });

  it('shows someone focusing quietly as quiet while the run lasts, without the run they do not share', async () => {
    const quiet = await makeUser(t, { profile: { quiet_while_focusing: true } });
    const other = await makeUser(t);
    const [mine, theirs] = await Promise.all([
      openSocket(base, { token: quiet.token }),
      openSocket(base, { token: other.token }),
    ]);
    await Promise.all([mine.next('hello'), theirs.next('hello')]);
    const entry = (p: { online: OnlineUser[] }) => p.online.find((u) => u.id === quiet.id);
    expect(entry(await theirs.next('presence', (p) => entry(p) !== undefined))?.quiet).toBe(false);

    await as(quiet).post('/api/timer/start', { label: 'secret' });
    const during = await theirs.next('presence', (p) => entry(p)?.quiet === true);
    expect(entry(during)).toMatchObject({ quiet: true, focusing: null });

    await as(quiet).post('/api/timer/pause');
    await theirs.next('presence', (p) => entry(p)?.quiet === false);
    await Promise.all([mine.close(), theirs.close()]);
  });
});
