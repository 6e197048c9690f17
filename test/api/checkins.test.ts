import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, MessageList } from '../../src/protocol/chat.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { registerUser, type TestUser } from '../helpers/users.js';

const MIN = 60_000;

describe.each(testDialects())('focus check-ins on %s', (dialect) => {
  let t: TestApp;
  let now = Date.UTC(2026, 10, 20, 9, 0);
  beforeAll(async () => {
    // Limits as in production: the check-ins count against the person's message limits.
    t = await createTestApp(dialect, {
      clock: { now: () => now },
      env: { RATE_LIMIT_FACTOR: '1', ACCESS_TOKEN_EXPIRE_MINUTES: '43200' },
    });
  });
  afterAll(() => t.close());

  const call = (user: TestUser, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.auth, ...(payload ? { payload } : {}) });
  /** Everyone's check-ins from `user`, oldest first. */
  const checkins = async (user: TestUser) => {
    const list = (await call(user, 'GET', '/api/chat/messages?limit=100')).json<MessageList>();
    return list.messages
      .filter((m) => m.sender_id === user.id && m.message_type === 'checkin')
      .map((m) => m.content)
      .reverse();
  };
  const person = async (name: string) => {
    const user = await registerUser(t.app);
    await call(user, 'PATCH', '/api/profile', { display_name: name });
    return user;
  };

  it('posts nothing unless asked, then one check-in at the start and one at the end with the run', async () => {
    const ana = await person('Ana');
    await call(ana, 'POST', '/api/timer/start', { label: 'quiet work' });
    now += 5 * MIN;
    await call(ana, 'POST', '/api/timer/pause');
    expect(await checkins(ana)).toEqual([]);

    now += MIN;
    const started = await call(ana, 'POST', '/api/timer/start', {
      label: 'deep work',
      target_minutes: 60,
      announce: true,
    });
    expect(started.statusCode).toBe(200);
    expect(await checkins(ana)).toEqual(['🎯 Ana is focusing on *deep work* for 60 min']);
    // Asking again while it runs changes nothing and posts nothing.
    await call(ana, 'POST', '/api/timer/start', { announce: true });
    now += 52 * MIN;
    await call(ana, 'POST', '/api/timer/pause');
    await call(ana, 'POST', '/api/timer/pause');
    expect(await checkins(ana)).toEqual([
      '🎯 Ana is focusing on *deep work* for 60 min',
      '✅ Ana finished *deep work* — 52 min',
    ]);
    // Resuming without asking is not announced, and its end posts nothing.
    now += MIN;
    await call(ana, 'POST', '/api/timer/start');
    now += 3 * MIN;
    await call(ana, 'POST', '/api/timer/reset');
    expect(await checkins(ana)).toHaveLength(2);
  });

  it('posts the end of a run that reached its target by itself once, whoever reads it first', async () => {
    const bo = await person('Bo');
    await call(bo, 'POST', '/api/timer/start', { label: 'pomodoro', target_minutes: 25, announce: true });
    now += 40 * MIN;
    await call(bo, 'GET', '/api/timer');
    await call(bo, 'GET', '/api/timer');
    expect(await checkins(bo)).toEqual([
      '🎯 Bo is focusing on *pomodoro* for 25 min',
      '✅ Bo finished *pomodoro* — 25 min',
    ]);
  });

  it('says so for a run without a target or label, ends a forgotten one at the cap, and keeps labels as text', async () => {
    const cy = await person('Cy');
    await call(cy, 'POST', '/api/timer/start', { label: '', announce: true });
    now += 20 * 60 * MIN;
    await call(cy, 'POST', '/api/timer/reset');
    const dee = await person('Dee');
    await call(dee, 'POST', '/api/timer/start', { label: '**bold** [x](http://e.com)', announce: true });
    now += 30_000;
    await call(dee, 'POST', '/api/timer/pause');
    expect(await checkins(cy)).toEqual(['🎯 Cy is focusing (no set length)', '✅ Cy finished a focus run — 480 min']);
    expect(await checkins(dee)).toEqual([
      '🎯 Dee is focusing on *\\*\\*bold\\*\\* \\[x\\]\\(http://e\\.com\\)* (no set length)',
      '✅ Dee finished *\\*\\*bold\\*\\* \\[x\\]\\(http://e\\.com\\)* — under a minute',
    ]);
  });

  it('counts against the message limits: over them the start is refused whole (429) and nothing is posted', async () => {
    const eve = await person('Eve');
    for (let i = 0; i < 5; i++) {
      expect((await call(eve, 'POST', '/api/chat/messages', { content: `hello ${i}` })).statusCode).toBe(201);
    }
    const refused = await call(eve, 'POST', '/api/timer/start', { label: 'x', announce: true });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await call(eve, 'GET', '/api/timer')).json()).toMatchObject({ state: 'idle' });
    expect(await checkins(eve)).toEqual([]);
    now += 6_000;
    expect((await call(eve, 'POST', '/api/timer/start', { label: 'x', announce: true })).statusCode).toBe(200);
    expect(await checkins(eve)).toHaveLength(1);
  });

  it('refuses a timed-out person the announced start, and check-ins take reactions but no edits', async () => {
    const admin = await registerUser(t.app);
    await t.services.db.updateTable('users').set({ role: 'admin' }).where('id', '=', admin.id).execute();
    const fay = await person('Fay');
    await call(fay, 'POST', '/api/timer/start', { label: 'essay', announce: true });
    const list = (await call(fay, 'GET', '/api/chat/messages?limit=5')).json<MessageList>();
    const post = list.messages.find((m: Message) => m.sender_id === fay.id) as Message;
    expect(post.message_type).toBe('checkin');
    const edit = await call(fay, 'PATCH', `/api/chat/messages/${post.id}`, { content: 'changed' });
    expect(edit.statusCode).toBe(403);
    const react = await call(admin, 'POST', `/api/chat/messages/${post.id}/reactions`, { emoji: '🔥' });
    expect(react.json()).toEqual([{ emoji: '🔥', count: 1, me: true }]);
    now += 2 * MIN;
    await call(fay, 'POST', '/api/timer/pause');

    const timeout = await call(admin, 'POST', `/api/admin/users/${fay.id}/timeout`, { minutes: 10 });
    expect(timeout.statusCode).toBeLessThan(300);
    now += 10_000;
    const refused = await call(fay, 'POST', '/api/timer/start', { label: 'essay', announce: true });
    expect(refused.statusCode).toBe(403);
    expect(await checkins(fay)).toHaveLength(2);
  });
});
