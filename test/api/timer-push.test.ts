import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../src/protocol/events.js';
import type { FocusSession, TimerState } from '../../src/protocol/timer.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { sleep } from '../helpers/http.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';
import { makeUser } from '../helpers/users.js';

const MIN = 60_000;

const timerEvents = (socket: TestSocket) =>
  socket.events.filter((e): e is Extract<ServerEvent, { type: 'timer.updated' }> => e.type === 'timer.updated');

describe.each(testDialects())('the server ends runs by itself on %s', (dialect) => {
  const clock = testClock(Date.UTC(2026, 10, 20, 9, 0));
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock, env: { ACCESS_TOKEN_EXPIRE_MINUTES: '43200', MAX_RUN_HOURS: '2' } });
    base = await t.listen();
  });
  afterAll(() => t.close());

  it('pushes a pomodoro that reached its target to every tab of its owner, once, with no request pending', async () => {
    const ann = await makeUser(t);
    const tabs = await Promise.all([openSocket(base, { token: ann.token }), openSocket(base, { token: ann.token })]);
    await Promise.all(tabs.map((tab) => tab.next('hello')));
    const start = await as(ann).post<TimerState>('/api/timer/start', { label: 'Pomodoro', target_minutes: 25 });
    const started = start.json();
    for (const tab of tabs) await tab.next('timer.updated', (e) => e.timer.version === started.version);

    clock.advance(24 * MIN);
    await sleep(300);
    expect(tabs.map((tab) => timerEvents(tab).length)).toEqual([1, 1]);

    clock.advance(MIN + 10_000);
    for (const tab of tabs) {
      const ended = await tab.next('timer.updated', (e) => e.timer.state === 'paused');
      expect(ended.timer).toMatchObject({ ended_by: 'target', elapsed_ms: 25 * MIN, label: 'Pomodoro' });
    }
    // Nothing else ends it again.
    clock.advance(MIN);
    await sleep(500);
    expect(tabs.map((tab) => timerEvents(tab).length)).toEqual([2, 2]);
    const sessions = await as(ann).get<FocusSession[]>('/api/timer/sessions');
    expect(sessions.json().map((s) => s.duration_ms)).toEqual([25 * MIN]);
    await Promise.all(tabs.map((tab) => tab.close()));
  });

  it('ends a run without a target at MAX_RUN_HOURS and pushes it', async () => {
    const bob = await makeUser(t);
    const tab = await openSocket(base, { token: bob.token });
    await tab.next('hello');
    await as(bob).post('/api/timer/start', { label: 'Long' });
    await tab.next('timer.updated', (e) => e.timer.state === 'running');
    clock.advance(2 * 60 * MIN + 1);
    const ended = await tab.next('timer.updated', (e) => e.timer.state === 'paused');
    expect(ended.timer).toMatchObject({ ended_by: 'max', elapsed_ms: 2 * 60 * MIN });
    await tab.close();
  });

  it('ends nothing that was paused before its end', async () => {
    const cat = await makeUser(t);
    const tab = await openSocket(base, { token: cat.token });
    await tab.next('hello');
    await as(cat).post('/api/timer/start', { target_minutes: 5 });
    clock.advance(MIN);
    await as(cat).post('/api/timer/pause');
    await tab.next('timer.updated', (e) => e.timer.state === 'paused');
    clock.advance(10 * MIN);
    await sleep(300);
    expect(timerEvents(tab).map((e) => e.timer.state)).toEqual(['running', 'paused']);
    const { count } = await t.database.db
      .selectFrom('scheduled_jobs')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
    await tab.close();
  });
});
