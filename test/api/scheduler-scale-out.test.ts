import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ServerEvent } from '../../src/protocol/events.js';
import type { Sprint } from '../../src/protocol/sprints.js';
import { buildApp, type App } from '../../src/server/app.js';
import { openDatabase } from '../../src/server/db/database.js';
import { testConfig } from '../helpers/app.js';
import { fakeClock } from '../helpers/clock.js';
import { openTestDatabase } from '../helpers/database.js';
import { sleep } from '../helpers/http.js';
import { hasRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';
import { registerUser, type TestUser } from '../helpers/users.js';

const MIN = 60_000;
const postgresUrl = inject('postgresUrl');

type Event<T extends ServerEvent['type']> = Extract<ServerEvent, { type: T }>;
const eventsOf = <T extends ServerEvent['type']>(socket: TestSocket, type: T) =>
  socket.events.filter((e): e is Event<T> => e.type === type);

/**
 * Two instances in this process on one PostgreSQL database and one Redis, sharing a fake clock:
 * both schedulers wake for every due time, and each piece of work is done (and pushed) once.
 */
describe.skipIf(!hasRedis || postgresUrl === null)('the scheduler on two instances (PostgreSQL + Redis)', () => {
  const clock = fakeClock(Date.UTC(2026, 10, 20, 9, 7));
  let redis: RedisServer;
  let stored: Awaited<ReturnType<typeof openTestDatabase>>;
  let apps: App[] = [];
  let bases: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    stored = await openTestDatabase('postgres');
    const config = testConfig({ REDIS_URL: redis.url, ACCESS_TOKEN_EXPIRE_MINUTES: '43200' });
    apps = await Promise.all(
      [1, 2].map(async () => buildApp(config, { database: await openDatabase(stored.url), clock })),
    );
    bases = await Promise.all(
      apps.map(async (app) => {
        await app.listen({ host: '127.0.0.1', port: 0 });
        const address = app.server.address();
        if (typeof address !== 'object' || address === null) throw new Error('not listening');
        return `http://127.0.0.1:${address.port}`;
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await stored.close();
    await redis.stop();
  });

  const sockets = async (users: [TestUser, number][]) => {
    const opened = await Promise.all(users.map(([u, i]) => openSocket(bases[i] ?? '', { token: u.token })));
    await Promise.all(opened.map((s) => s.next('hello')));
    return opened;
  };

  it('pushes a pomodoro that ends with no request pending to every tab of its owner, once', async () => {
    const [a] = apps as [App, App];
    const ann = await registerUser(a);
    const tabs = await sockets([
      [ann, 0],
      [ann, 1],
    ]);
    await a.inject({ method: 'POST', url: '/api/timer/start', headers: ann.auth, payload: { target_minutes: 25 } });
    for (const tab of tabs) await tab.next('timer.updated', (e) => e.timer.state === 'running');
    clock.advance(25 * MIN);
    for (const tab of tabs) {
      expect((await tab.next('timer.updated', (e) => e.timer.state === 'paused')).timer.ended_by).toBe('target');
    }
    await sleep(1_000);
    expect(tabs.map((tab) => eventsOf(tab, 'timer.updated').length)).toEqual([2, 2]);
    await Promise.all(tabs.map((tab) => tab.close()));
  });

  it("carries a sprint's every change to every socket, each once, with nobody asking at its times", async () => {
    const [a, b] = apps as [App, App];
    const ann = await registerUser(a);
    const bob = await registerUser(b);
    const all = await sockets([
      [ann, 0],
      [ann, 1],
      [bob, 1],
    ]);
    const [annOnA, annOnB, bobOnB] = all as [TestSocket, TestSocket, TestSocket];
    const created = await a.inject({
      method: 'POST',
      url: '/api/sprints',
      headers: ann.auth,
      payload: { label: 'Together', focus_minutes: 25, break_minutes: 5, starts: 'now' },
    });
    const sprint = created.json<Sprint>();
    for (const socket of all) await socket.next('sprint.updated', (e) => e.sprint.state === 'running');
    await b.inject({ method: 'POST', url: `/api/sprints/${sprint.id}/join`, headers: bob.auth });
    for (const socket of all) await socket.next('sprint.updated', (e) => e.sprint.participants.length === 2);
    await bobOnB.next('timer.updated', (e) => e.timer.label === 'Together');

    clock.advance(25 * MIN);
    for (const socket of all) {
      const onBreak = await socket.next('sprint.updated', (e) => e.sprint.state === 'break');
      expect(onBreak.sprint.total_focus_ms).toBe(2 * 25 * MIN);
    }
    for (const socket of [annOnA, annOnB, bobOnB]) {
      await socket.next('timer.updated', (e) => e.timer.ended_by === 'target');
    }
    clock.advance(5 * MIN);
    for (const socket of all) await socket.next('sprint.updated', (e) => e.sprint.state === 'ended');
    await sleep(1_000);
    for (const socket of all) {
      const states = eventsOf(socket, 'sprint.updated').map((e) => e.sprint.state);
      expect(states.filter((s) => s === 'break')).toHaveLength(1);
      expect(states.filter((s) => s === 'ended')).toHaveLength(1);
    }
    expect(eventsOf(annOnA, 'timer.updated').filter((e) => e.timer.ended_by === 'target')).toHaveLength(1);
    expect(eventsOf(bobOnB, 'timer.updated').filter((e) => e.timer.ended_by === 'target')).toHaveLength(1);
    await Promise.all(all.map((socket) => socket.close()));
  });
});
