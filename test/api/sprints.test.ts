import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageList } from '../../src/protocol/chat.js';
import type { Sprint } from '../../src/protocol/sprints.js';
import type { FocusSession, TimerState } from '../../src/protocol/timer.js';
import { buildApp, type App } from '../../src/server/app.js';
import { createLocalBus } from '../../src/server/bus/local-bus.js';
import { openDatabase } from '../../src/server/db/database.js';
import { createTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { as, type Method } from '../helpers/client.js';
import { fakeClock, testClock } from '../helpers/clock.js';
import { openTestDatabase, testDialects } from '../helpers/database.js';
import { makeUser, registerUser, type TestUser } from '../helpers/users.js';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 20, 9, 7);

/** Waits until `check` holds (the server's scheduler works on its own time), polling. */
async function eventually<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within 15 s: ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The typed client on `app()` (the restart test's app changes under its users), its answer read once. */
function api(app: () => App) {
  const call = async <T>(user: TestUser, method: Method, url: string, payload?: object) => {
    const response = await as({ ...user, app: app() }).request<T>(method, url, payload);
    return { status: response.statusCode, json: (response.body === '' ? null : response.json()) as T };
  };
  return {
    call,
    sprint: async (user: TestUser, id: number) => (await call<Sprint>(user, 'GET', `/api/sprints/${id}`)).json,
    timer: async (user: TestUser) => (await call<TimerState>(user, 'GET', '/api/timer')).json,
    sessions: async (user: TestUser) => (await call<FocusSession[]>(user, 'GET', '/api/timer/sessions')).json,
  };
}

describe.each(testDialects())('group sprints on %s', (dialect) => {
  const clock = testClock(START);
  let t: TestApp;
  const { call, sprint, timer, sessions } = api(() => t.app);
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock, env: { ACCESS_TOKEN_EXPIRE_MINUTES: '43200' } });
  });
  afterAll(() => t.close());

  it('runs a sprint from create through running, break and ended, by itself, recording every run', async () => {
    const [ann, bob, cat] = [await makeUser(t), await makeUser(t), await makeUser(t)];
    const created = await call<Sprint>(ann, 'POST', '/api/sprints', {
      label: ' Ship it ',
      focus_minutes: 25,
      break_minutes: 5,
      starts: 'now',
    });
    expect(created.status).toBe(201);
    const s = created.json;
    expect(s).toMatchObject({
      label: 'Ship it',
      focus_ms: 25 * MIN,
      break_ms: 5 * MIN,
      state: 'running',
      starts_at: new Date(clock.now()).toISOString(),
      ends_at: new Date(clock.now() + 25 * MIN).toISOString(),
      total_focus_ms: 0,
    });
    expect(s.participants.map((p) => p.id)).toEqual([ann.id]);
    expect(s.creator.id).toBe(ann.id);
    // Its card is in the chat.
    const messages = (await call<MessageList>(ann, 'GET', '/api/chat/messages')).json.messages;
    expect(messages.find((m) => m.id === s.message_id)).toMatchObject({ message_type: 'sprint', sender_id: ann.id });
    expect((await call<Sprint[]>(bob, 'GET', `/api/sprints?message_id=${s.message_id}`)).json[0]?.id).toBe(s.id);

    const annTimer = await timer(ann);
    expect(annTimer).toMatchObject({ state: 'running', label: 'Ship it', target_ms: 25 * MIN });

    clock.advance(5 * MIN);
    const joined = await call<Sprint>(bob, 'POST', `/api/sprints/${s.id}/join`);
    expect(joined.status).toBe(200);
    expect(joined.json.participants.map((p) => p.id)).toEqual([ann.id, bob.id]);
    const bobTimer = await timer(bob);
    expect(bobTimer).toMatchObject({ state: 'running', label: 'Ship it', target_ms: 20 * MIN });
    expect(Date.parse(bobTimer.run_started_at ?? '') + (bobTimer.target_ms ?? 0)).toBe(Date.parse(s.ends_at));
    await call(cat, 'POST', `/api/sprints/${s.id}/join`);

    clock.advance(3 * MIN);
    const left = await call<Sprint>(cat, 'POST', `/api/sprints/${s.id}/leave`);
    expect(left.json.participants.map((p) => p.id)).toEqual([ann.id, bob.id]);
    expect((await sessions(cat)).map((r) => r.duration_ms)).toEqual([3 * MIN]);
    expect(await timer(cat)).toMatchObject({ state: 'paused' });

    // Nobody connected, nobody asking: the server ends the focus at its time.
    clock.advance(17 * MIN);
    const onBreak = await eventually(
      'the break',
      () => sprint(ann, s.id),
      (x) => x.state === 'break',
    );
    expect(onBreak.total_focus_ms).toBe(25 * MIN + 20 * MIN + 3 * MIN);
    expect((await sessions(ann)).map((r) => [r.label, r.duration_ms])).toEqual([['Ship it', 25 * MIN]]);
    expect((await sessions(bob)).map((r) => r.duration_ms)).toEqual([20 * MIN]);
    expect(await timer(bob)).toMatchObject({ state: 'paused', ended_by: 'target' });

    clock.advance(5 * MIN);
    await eventually(
      'the end',
      () => sprint(ann, s.id),
      (x) => x.state === 'ended',
    );
    expect((await call<Sprint[]>(ann, 'GET', '/api/sprints?state=open')).json.map((x) => x.id)).not.toContain(s.id);
    // Over: nobody joins or leaves it any more.
    expect((await call(cat, 'POST', `/api/sprints/${s.id}/join`)).status).toBe(409);
  });

  it('keeps one open sprint per creator, and lets the creator cancel before the start', async () => {
    const [ann, bob] = [await makeUser(t), await makeUser(t)];
    const body = { label: 'Later', focus_minutes: 50, break_minutes: 10, starts: 'next_quarter_hour' };
    const first = await call<Sprint>(ann, 'POST', '/api/sprints', body);
    expect(first.json).toMatchObject({ state: 'scheduled' });
    expect(Date.parse(first.json.starts_at) % (15 * MIN)).toBe(0);
    expect((await call(ann, 'POST', '/api/sprints', body)).json).toMatchObject({ code: 'sprint_open' });

    await call(bob, 'POST', `/api/sprints/${first.json.id}/join`);
    // Joining a sprint that has not started starts no timer yet.
    expect(await timer(bob)).toMatchObject({ state: 'idle' });
    expect((await call(bob, 'DELETE', `/api/sprints/${first.json.id}`)).status).toBe(403);
    expect((await call(ann, 'DELETE', `/api/sprints/${first.json.id}`)).status).toBe(204);
    expect(await sprint(ann, first.json.id)).toMatchObject({ state: 'cancelled' });
    // Its start passes with nothing started.
    clock.advance(20 * MIN);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await timer(bob)).toMatchObject({ state: 'idle' });

    const again = await call<Sprint>(ann, 'POST', '/api/sprints', { ...body, starts: 'now' });
    expect(again.status).toBe(201);
    expect((await call(ann, 'DELETE', `/api/sprints/${again.json.id}`)).json).toMatchObject({ code: 'sprint_closed' });
  });

  it('starts no timer for a participant disabled before the start, and does not list them', async () => {
    const [ann, bob] = [await makeUser(t), await makeUser(t)];
    const startsAt = new Date(clock.now() + 10 * MIN).toISOString();
    const s = (
      await call<Sprint>(ann, 'POST', '/api/sprints', {
        label: 'Quiet',
        focus_minutes: 5,
        break_minutes: 0,
        starts: startsAt,
      })
    ).json;
    await call(bob, 'POST', `/api/sprints/${s.id}/join`);
    await t.database.db.updateTable('users').set({ disabled: 1 }).where('id', '=', bob.id).execute();
    clock.advance(10 * MIN);
    const running = await eventually(
      'running',
      () => sprint(ann, s.id),
      (x) => x.state === 'running',
    );
    expect(running.participants.map((p) => p.id)).toEqual([ann.id]);
    clock.advance(5 * MIN);
    await eventually(
      'ended',
      () => sprint(ann, s.id),
      (x) => x.state === 'ended',
    );
    // A timer started for him would have run to the end and been recorded.
    const bobTimer = await t.database.db
      .selectFrom('timers')
      .select('state')
      .where('user_id', '=', bob.id)
      .executeTakeFirst();
    expect(bobTimer?.state ?? 'idle').toBe('idle');
    const bobRuns = await t.database.db
      .selectFrom('focus_sessions')
      .select('id')
      .where('user_id', '=', bob.id)
      .execute();
    expect(bobRuns).toEqual([]);
  });

  it('posts no sprint card for someone timed out', async () => {
    const ann = await makeUser(t);
    await t.database.db
      .updateTable('users')
      .set({ timed_out_until: clock.now() + 10 * MIN })
      .where('id', '=', ann.id)
      .execute();
    const body = { label: 'Sneaky', focus_minutes: 5, break_minutes: 0, starts: 'now' };
    const refused = await call(ann, 'POST', '/api/sprints', body);
    expect(refused).toMatchObject({ status: 403, json: { code: 'timed_out' } });
    expect((await call<Sprint[]>(ann, 'GET', '/api/sprints?state=open')).json.map((x) => x.label)).not.toContain(
      'Sneaky',
    );
  });

  it('refuses starts in the past or more than 24 hours ahead, and bad minutes', async () => {
    const ann = await makeUser(t);
    const at = (ms: number) => new Date(clock.now() + ms).toISOString();
    for (const [starts, minutes] of [
      [at(-10 * MIN), 25],
      [at(25 * 60 * MIN), 25],
      ['now', 4],
      ['now', 181],
    ] as const) {
      const r = await call(ann, 'POST', '/api/sprints', {
        label: 'x',
        focus_minutes: minutes,
        break_minutes: 0,
        starts,
      });
      expect(r.status).toBe(422);
    }
  });

  it('moves people between sprints without leaving a timer behind', async () => {
    const [ann, bob, cat] = [await makeUser(t), await makeUser(t), await makeUser(t)];
    const one = (
      await call<Sprint>(ann, 'POST', '/api/sprints', {
        label: 'One',
        focus_minutes: 30,
        break_minutes: 0,
        starts: 'now',
      })
    ).json;
    const two = (
      await call<Sprint>(bob, 'POST', '/api/sprints', {
        label: 'Two',
        focus_minutes: 60,
        break_minutes: 0,
        starts: 'now',
      })
    ).json;
    await call(cat, 'POST', `/api/sprints/${one.id}/join`);
    clock.advance(2 * MIN);
    await call(cat, 'POST', `/api/sprints/${two.id}/join`);
    expect((await sprint(cat, one.id)).participants.map((p) => p.id)).toEqual([ann.id]);
    expect(await timer(cat)).toMatchObject({ state: 'running', label: 'Two' });
    expect((await sessions(cat)).map((r) => [r.label, r.duration_ms])).toEqual([['One', 2 * MIN]]);
    // Cat pauses her own timer mid-sprint: the sprint's end does not start or end anything of hers.
    await call(cat, 'POST', '/api/timer/pause');
    clock.advance(60 * MIN);
    await eventually(
      'both over',
      async () => [await sprint(ann, one.id), await sprint(ann, two.id)],
      (x) => x.every((s) => s.state === 'ended'),
    );
    expect(await timer(cat)).toMatchObject({ state: 'paused', ended_by: null });
    expect((await sprint(ann, two.id)).total_focus_ms).toBe(60 * MIN + 2 * MIN);
  });
});

describe.each(testDialects())('a sprint across a server restart on %s', (dialect) => {
  it('keeps its state and starts its people when the next instance finds it due', async () => {
    const clock = fakeClock(START);
    const stored = await openTestDatabase(dialect);
    const config = testConfig({ ACCESS_TOKEN_EXPIRE_MINUTES: '43200' });
    const start = async () => {
      const app = await buildApp(config, { database: await openDatabase(stored.url), clock, bus: createLocalBus() });
      await app.ready();
      return app;
    };
    let app = await start();
    try {
      const { call, sprint, timer } = api(() => app);
      const [ann, bob] = [await registerUser(app), await registerUser(app)];
      const startsAt = new Date(clock.now() + 10 * MIN).toISOString();
      const s = (
        await call<Sprint>(ann, 'POST', '/api/sprints', {
          label: 'Restart',
          focus_minutes: 25,
          break_minutes: 5,
          starts: startsAt,
        })
      ).json;
      await call(bob, 'POST', `/api/sprints/${s.id}/join`);
      await app.close();

      clock.advance(12 * MIN);
      app = await start();
      const running = await eventually(
        'running after the restart',
        () => sprint(ann, s.id),
        (x) => x.state === 'running',
      );
      expect(running.participants.map((p) => p.id)).toEqual([ann.id, bob.id]);
      // The timers start right after the state is stored.
      const bobTimer = await eventually(
        'his timer',
        () => timer(bob),
        (x) => x.state === 'running',
      );
      expect(bobTimer).toMatchObject({ label: 'Restart', target_ms: 23 * MIN });

      await app.close();
      clock.advance(30 * MIN);
      app = await start();
      const ended = await eventually(
        'ended after another restart',
        () => sprint(ann, s.id),
        (x) => x.state === 'ended',
      );
      expect(ended.total_focus_ms).toBe(2 * 23 * MIN);
    } finally {
      await app.close();
      await stored.close();
    }
  });
});
