import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, MessageList } from '../../src/protocol/chat.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { makeUser, type TestUser } from '../helpers/users.js';

const MIN = 60_000;

describe.each(testDialects())('focus check-ins on %s', (dialect) => {
  let t: TestApp;
  const clock = testClock(Date.UTC(2026, 10, 20, 9, 0));
  beforeAll(async () => {
    // Limits as in production: the check-ins count against the person's message limits.
    t = await createTestApp(dialect, {
      clock,
      env: { RATE_LIMIT_FACTOR: '1', ACCESS_TOKEN_EXPIRE_MINUTES: '43200' },
    });
  });
  afterAll(() => t.close());

  /** Everyone's check-ins from `user`, oldest first. */
  const checkins = async (user: TestUser) => {
    const list = (await as(user).get('/api/chat/messages?limit=100')).json<MessageList>();
    return list.messages
      .filter((m) => m.sender_id === user.id && m.message_type === 'checkin')
      .map((m) => m.content)
      .reverse();
  };
  const person = (name: string) => makeUser(t, { profile: { display_name: name } });

  it('posts nothing unless asked, then one check-in at the start and one at the end with the run', async () => {
    const ana = await person('Ana');
    await as(ana).post('/api/timer/start', { label: 'quiet work' });
    clock.advance(5 * MIN);
    await as(ana).post('/api/timer/pause');
    expect(await checkins(ana)).toEqual([]);

    clock.advance(MIN);
    const started = await as(ana).post('/api/timer/start', {
      label: 'deep work',
      target_minutes: 60,
      announce: true,
    });
    expect(started.statusCode).toBe(200);
    expect(await checkins(ana)).toEqual(['🎯 Ana is focusing on *deep work* for 60 min']);
    // Asking again while it runs changes nothing and posts nothing.
    await as(ana).post('/api/timer/start', { announce: true });
    clock.advance(52 * MIN);
    await as(ana).post('/api/timer/pause');
    await as(ana).post('/api/timer/pause');
    expect(await checkins(ana)).toEqual([
      '🎯 Ana is focusing on *deep work* for 60 min',
      '✅ Ana finished *deep work* — 52 min',
    ]);
    // Resuming without asking is not announced, and its end posts nothing.
    clock.advance(MIN);
    await as(ana).post('/api/timer/start');
    clock.advance(3 * MIN);
    await as(ana).post('/api/timer/reset');
    expect(await checkins(ana)).toHaveLength(2);
  });

  it('posts the end of a run that reached its target by itself once, whoever reads it first', async () => {
    const bo = await person('Bo');
    await as(bo).post('/api/timer/start', { label: 'pomodoro', target_minutes: 25, announce: true });
    clock.advance(40 * MIN);
    // The scheduler ends it too (the clock jumped past its end): whichever comes first posts, after
    // its answer, so the end is awaited; a second post would follow at once and show in the last read.
    await Promise.all([as(bo).get('/api/timer'), as(bo).get('/api/timer')]);
    const both = ['🎯 Bo is focusing on *pomodoro* for 25 min', '✅ Bo finished *pomodoro* — 25 min'];
    await expect.poll(() => checkins(bo)).toEqual(both);
    await as(bo).get('/api/timer');
    expect(await checkins(bo)).toEqual(both);
  });

  it('says so for a run without a target or label, ends a forgotten one at the cap, and keeps labels as text', async () => {
    const cy = await person('Cy');
    await as(cy).post('/api/timer/start', { label: '', announce: true });
    clock.advance(20 * 60 * MIN);
    await as(cy).post('/api/timer/reset');
    const dee = await person('Dee');
    await as(dee).post('/api/timer/start', { label: '**bold** [x](http://e.com)', announce: true });
    clock.advance(30_000);
    await as(dee).post('/api/timer/pause');
    // Ended at the cap by the scheduler or the reset, whichever came first: posted once it is done.
    await expect
      .poll(() => checkins(cy))
      .toEqual(['🎯 Cy is focusing (no set length)', '✅ Cy finished a focus run — 480 min']);
    expect(await checkins(dee)).toEqual([
      '🎯 Dee is focusing on *\\*\\*bold\\*\\* \\[x\\]\\(http://e\\.com\\)* (no set length)',
      '✅ Dee finished *\\*\\*bold\\*\\* \\[x\\]\\(http://e\\.com\\)* — under a minute',
    ]);
  });

  it('counts against the message limits: over them the start is refused whole (429) and nothing is posted', async () => {
    const eve = await person('Eve');
    for (let i = 0; i < 5; i++) {
      expect((await as(eve).post('/api/chat/messages', { content: `hello ${i}` })).statusCode).toBe(201);
    }
    const refused = await as(eve).post('/api/timer/start', { label: 'x', announce: true });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await as(eve).get('/api/timer')).json()).toMatchObject({ state: 'idle' });
    expect(await checkins(eve)).toEqual([]);
    clock.advance(6_000);
    expect((await as(eve).post('/api/timer/start', { label: 'x', announce: true })).statusCode).toBe(200);
    expect(await checkins(eve)).toHaveLength(1);
  });

  it('refuses a timed-out person the announced start, and check-ins take reactions but no edits', async () => {
    const admin = await makeUser(t, { role: 'admin' });
    const fay = await person('Fay');
    await as(fay).post('/api/timer/start', { label: 'essay', announce: true });
    const list = (await as(fay).get('/api/chat/messages?limit=5')).json<MessageList>();
    const post = list.messages.find((m: Message) => m.sender_id === fay.id) as Message;
    expect(post.message_type).toBe('checkin');
    const edit = await as(fay).patch(`/api/chat/messages/${post.id}`, { content: 'changed' });
    expect(edit.statusCode).toBe(403);
    const react = await as(admin).post(`/api/chat/messages/${post.id}/reactions`, { emoji: '🔥' });
    expect(react.json()).toEqual([{ emoji: '🔥', count: 1, me: true }]);
    clock.advance(2 * MIN);
    await as(fay).post('/api/timer/pause');

    const timeout = await as(admin).post(`/api/admin/users/${fay.id}/timeout`, { minutes: 10 });
    expect(timeout.statusCode).toBeLessThan(300);
    clock.advance(10_000);
    const refused = await as(fay).post('/api/timer/start', { label: 'essay', announce: true });
    expect(refused.statusCode).toBe(403);
    expect(await checkins(fay)).toHaveLength(2);
  });
});
