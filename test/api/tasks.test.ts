import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageList } from '../../src/protocol/chat.js';
import type { ErrorBody } from '../../src/protocol/errors.js';
import { CHANGE_ID_HEADER, MAX_OPEN_TASKS, type Task, type TaskList } from '../../src/protocol/tasks.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

const MIN = 60_000;

describe.each(testDialects())("today's goals API on %s", (dialect) => {
  let t: TestApp;
  const clock = testClock(Date.UTC(2026, 10, 20, 9, 0));
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      clock,
      env: { RATE_LIMIT_FACTOR: '1', ACCESS_TOKEN_EXPIRE_MINUTES: '43200' },
    });
  });
  afterAll(() => t.close());

  const add = async (user: TestUser, title: string) => {
    const response = await as(user).post('/api/tasks', { title });
    expect(response.statusCode).toBe(201);
    return response.json<Task>();
  };
  const list = async (user: TestUser) => (await as(user).get('/api/tasks')).json<TaskList>();
  const titles = async (user: TestUser) => (await list(user)).tasks.map((task) => [task.title, task.done]);

  it('adds, renames, ticks, unticks, reorders and deletes, showing the focus of runs on each', async () => {
    const ana = await makeUser(t);
    const docs = await add(ana, '  write docs ');
    const tests = await add(ana, 'fix tests');
    expect(docs).toMatchObject({ title: 'write docs', done: false, focus_seconds: 0 });
    expect(await titles(ana)).toEqual([
      ['write docs', false],
      ['fix tests', false],
    ]);
    // A run labelled with the goal's title counts beside it.
    await as(ana).post('/api/timer/start', { label: 'fix tests' });
    clock.advance(25 * MIN);
    await as(ana).post('/api/timer/pause');
    expect((await list(ana)).tasks.find((x) => x.id === tests.id)?.focus_seconds).toBe(25 * 60);

    const order = await as(ana).put('/api/tasks/order', { ids: [tests.id, docs.id] });
    expect(order.statusCode).toBe(200);
    expect(order.json<TaskList>().tasks.map((x) => x.title)).toEqual(['fix tests', 'write docs']);
    expect((await as(ana).patch(`/api/tasks/${docs.id}`, { title: 'write the docs' })).json()).toMatchObject({
      title: 'write the docs',
    });
    expect((await as(ana).patch(`/api/tasks/${tests.id}`, { done: true })).json()).toMatchObject({ done: true });
    expect(await titles(ana)).toEqual([
      ['write the docs', false],
      ['fix tests', true],
    ]);
    await as(ana).patch(`/api/tasks/${tests.id}`, { done: false });
    expect((await as(ana).delete(`/api/tasks/${docs.id}`)).statusCode).toBe(204);
    expect(await titles(ana)).toEqual([['fix tests', false]]);
    // Ticked goals leave the list a day after ticking.
    await as(ana).patch(`/api/tasks/${tests.id}`, { done: true });
    clock.advance(25 * 60 * MIN);
    expect(await titles(ana)).toEqual([]);
  });

  it("tells the person's own sockets, and nobody else's, that their goals changed", async () => {
    const base = await t.listen();
    const [ana, bo] = [await makeUser(t), await makeUser(t)];
    const [anasTab, bosTab] = await Promise.all([
      openSocket(base, { token: ana.token }),
      openSocket(base, { token: bo.token }),
    ]);
    await Promise.all([anasTab.next('hello'), bosTab.next('hello')]);
    const goal = await add(ana, 'ship it');
    expect(await anasTab.next('tasks.updated')).toEqual({ type: 'tasks.updated', change: null });
    // A page's own id for its change comes back, so that page can tell its change from another tab's.
    const ids = { [CHANGE_ID_HEADER]: 'tab-1-change-2' };
    await as(ana).patch(`/api/tasks/${goal.id}`, { done: true }, { headers: ids });
    expect(await anasTab.next('tasks.updated')).toEqual({ type: 'tasks.updated', change: 'tab-1-change-2' });
    await as(ana).put('/api/tasks/order', { ids: [] }, { headers: { [CHANGE_ID_HEADER]: 'order-3' } });
    expect((await anasTab.next('tasks.updated')).change).toBe('order-3');
    await as(ana).delete(`/api/tasks/${goal.id}`, { headers: { [CHANGE_ID_HEADER]: 'delete-4' } });
    expect((await anasTab.next('tasks.updated')).change).toBe('delete-4');
    expect(bosTab.events.some((e) => e.type === 'tasks.updated')).toBe(false);
    await Promise.all([anasTab.close(), bosTab.close()]);
  });

  it('refuses a change id that is not 1–64 letters, digits or dashes, and changes nothing', async () => {
    const ana = await makeUser(t);
    for (const id of ['', 'has space', 'x'.repeat(65), 'semi;colon']) {
      const answer = await as(ana).post('/api/tasks', { title: 'ship it' }, { headers: { [CHANGE_ID_HEADER]: id } });
      expect(answer.statusCode, id).toBe(422);
      expect(answer.json<ErrorBody>().code).toBe('validation_failed');
    }
    expect(await titles(ana)).toEqual([]);
  });

  it('refuses blank or long titles, and more than the open limit', async () => {
    const bo = await makeUser(t);
    expect((await as(bo).post('/api/tasks', { title: '   ' })).statusCode).toBe(422);
    expect((await as(bo).post('/api/tasks', { title: 'x'.repeat(81) })).statusCode).toBe(422);
    const first = await add(bo, 'goal 0');
    await Promise.all(Array.from({ length: MAX_OPEN_TASKS - 1 }, (_, i) => add(bo, `goal ${i + 1}`)));
    const over = await as(bo).post('/api/tasks', { title: 'one more' });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'too_many_tasks' });
    // A ticked goal frees a place; unticking it again when the list is full is refused.
    await as(bo).patch(`/api/tasks/${first.id}`, { done: true });
    await add(bo, 'one more');
    expect((await as(bo).patch(`/api/tasks/${first.id}`, { done: false })).statusCode).toBe(409);
    expect((await list(bo)).tasks.filter((x) => !x.done)).toHaveLength(MAX_OPEN_TASKS);
  });

  it("never lets anyone see or touch another person's goals", async () => {
    const owner = await makeUser(t);
    const other = await makeUser(t);
    const task = await add(owner, 'mine');
    expect((await list(other)).tasks).toEqual([]);
    expect((await as(other).patch(`/api/tasks/${task.id}`, { done: true })).statusCode).toBe(404);
    expect((await as(other).delete(`/api/tasks/${task.id}`)).statusCode).toBe(404);
    expect((await as(other).put('/api/tasks/order', { ids: [task.id] })).statusCode).toBe(400);
    expect(await titles(owner)).toEqual([['mine', false]]);
    expect((await guest(t.app).get('/api/tasks')).statusCode).toBe(401);
  });

  it('accepts only an order of exactly the open goals, each once', async () => {
    const cy = await makeUser(t);
    const a = await add(cy, 'a');
    const b = await add(cy, 'b');
    const c = await add(cy, 'c');
    const order = (ids: number[]) => as(cy).put('/api/tasks/order', { ids });
    expect((await order([a.id, b.id])).statusCode).toBe(400);
    expect((await order([a.id, b.id, c.id, c.id])).statusCode).toBe(422);
    expect((await order([a.id, b.id, c.id + 1000])).statusCode).toBe(400);
    await as(cy).patch(`/api/tasks/${c.id}`, { done: true });
    expect((await order([c.id, b.id, a.id])).statusCode).toBe(400);
    expect((await order([b.id, a.id])).json<TaskList>().tasks.map((x) => x.title)).toEqual(['b', 'a', 'c']);
  });

  it('posts a check-in when a goal is ticked with announce, limited like messages', async () => {
    const dee = await makeUser(t);
    await as(dee).patch('/api/profile', { display_name: 'Dee' });
    const quiet = await add(dee, 'quiet one');
    const loud = await add(dee, 'ship *it*');
    await as(dee).patch(`/api/tasks/${quiet.id}`, { done: true });
    await as(dee).patch(`/api/tasks/${loud.id}`, { done: true, announce: true });
    const posts = async () =>
      (await as(dee).get('/api/chat/messages?limit=50'))
        .json<MessageList>()
        .messages.filter((m) => m.sender_id === dee.id)
        .map((m) => [m.message_type, m.content]);
    expect(await posts()).toEqual([['checkin', '✅ Dee finished *ship \\*it\\**']]);
    // Over the message limit the tick with a check-in is refused whole.
    for (let i = 0; i < 4; i++) await as(dee).post('/api/chat/messages', { content: `msg ${i}` });
    const last = await add(dee, 'last');
    const refused = await as(dee).patch(`/api/tasks/${last.id}`, { done: true, announce: true });
    expect(refused.statusCode).toBe(429);
    expect((await list(dee)).tasks.find((x) => x.id === last.id)?.done).toBe(false);
    expect(await posts()).toHaveLength(5);
  });
});
