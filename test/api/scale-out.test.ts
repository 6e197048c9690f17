import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Message, MessageList } from '../../src/protocol/chat.js';
import { decodeFrame } from '../../src/protocol/events.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { startRedis, hasRedis, type RedisServer } from '../helpers/redis-server.js';
import { callJson } from '../helpers/http.js';
import { registerUserAt, startServerProcess, type HttpUser, type ServerProcess } from '../helpers/server-process.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';

const postgresUrl = inject('postgresUrl');

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A client that behaves like the chat page: keeps a socket to one of the instances, reconnects
 * (to the next one if needed) and catches up with `after=` on every connect.
 */
function follow(bases: () => string[], user: HttpUser) {
  const messages = new Map<number, string>();
  let socket: TestSocket | undefined;
  let stopped = false;
  let attempt = 0;
  const catchUp = async (base: string, from?: number) => {
    for (let after = from ?? Math.max(0, ...messages.keys()); ;) {
      const page = await callJson<MessageList>(base, user.auth, 'GET', `/api/chat/messages?after=${after}&limit=100`);
      for (const m of page.json.messages) messages.set(m.id, m.content);
      if (!page.json.has_more) return;
      after = page.json.messages.at(-1)?.id ?? after;
    }
  };
  const connect = async (): Promise<void> => {
    while (!stopped) {
      const list = bases();
      const base = list[attempt % list.length] ?? '';
      attempt += 1;
      try {
        const opened = await openSocket(base, { token: user.token });
        socket = opened;
        opened.ws.on('message', (data: Buffer) => {
          for (const event of decodeFrame(data.toString())) {
            if (event.type === 'message.created') messages.set(event.message.id, event.message.content);
            if (event.type === 'resync') void catchUp(base, event.after);
          }
        });
        void opened.closed.then(() => !stopped && setTimeout(() => void connect(), 200));
        await catchUp(base);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  return {
    messages,
    start: connect,
    async stop() {
      stopped = true;
      await socket?.close();
    },
  };
}

describe.skipIf(!hasRedis || postgresUrl === null)('several instances on PostgreSQL and Redis', () => {
  let redis: RedisServer;
  let admin: pg.Client;
  let databaseName: string;
  let env: Record<string, string>;
  let instances: ServerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    admin = new pg.Client({ connectionString: postgresUrl ?? '' });
    await admin.connect();
    databaseName = `codechicks_scale_${randomBytes(5).toString('hex')}`;
    await admin.query(`create database ${databaseName}`);
    const url = new URL(postgresUrl ?? '');
    url.pathname = `/${databaseName}`;
    env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redis.url,
      SECRET_KEY: randomBytes(32).toString('hex'),
      RATE_LIMIT_FACTOR: '1000',
    };
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await redis.stop();
    await admin.query(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  });

  it('migrates an empty database once when three instances start at once', { timeout: 150_000 }, async () => {
    instances = await Promise.all([1, 2, 3].map(() => startServerProcess({ env })));
    const url = new URL(env.DATABASE_URL ?? '');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('select name from kysely_migration order by name');
    await client.end();
    // Each migration once, in order: a second run would have failed on the tables it creates.
    expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    for (const instance of instances) expect(instance.output).not.toMatch(/error/i);
    await instances[2]?.stop();
    instances = instances.slice(0, 2);
  });

  it('carries messages, edits, deletes, reactions, presence and timers between instances', async () => {
    const [a, b] = instances.map((i) => i.baseUrl) as [string, string];
    const ann = await registerUserAt(a);
    const bob = await registerUserAt(b);
    const annOnA = await openSocket(a, { token: ann.token });
    const bobOnB = await openSocket(b, { token: bob.token });
    const annOnB = await openSocket(b, { token: ann.token });
    await Promise.all([annOnA.next('hello'), bobOnB.next('hello'), annOnB.next('hello')]);

    const sent = await callJson<Message>(b, bob.auth, 'POST', '/api/chat/messages', { content: 'from B' });
    expect((await annOnA.next('message.created', (e) => e.message.id === sent.json.id)).message.content).toBe('from B');
    await callJson(b, bob.auth, 'PATCH', `/api/chat/messages/${sent.json.id}`, { content: 'edited on B' });
    expect((await annOnA.next('message.updated')).message.content).toBe('edited on B');
    await callJson(b, bob.auth, 'POST', `/api/chat/messages/${sent.json.id}/reactions`, { emoji: '🎉' });
    expect((await annOnA.next('reactions.updated')).reactions).toEqual([{ emoji: '🎉', count: 1 }]);
    await callJson(b, bob.auth, 'DELETE', `/api/chat/messages/${sent.json.id}`);
    expect((await annOnA.next('message.deleted')).id).toBe(sent.json.id);

    // Presence: Bob (only on B) is listed by A, and Ann (on both) once.
    await eventually('A lists both users once', async () => {
      const online = (await callJson<{ id: number }[]>(a, ann.auth, 'GET', '/api/chat/online')).json.map((u) => u.id);
      return online.filter((id) => id === bob.id).length === 1 && online.filter((id) => id === ann.id).length === 1;
    });

    await callJson(a, ann.auth, 'POST', '/api/timer/start', { label: 'across' });
    expect((await annOnB.next('timer.updated')).timer).toMatchObject({ state: 'running', label: 'across' });
    await callJson(a, ann.auth, 'POST', '/api/timer/reset');
    await Promise.all([annOnA.close(), bobOnB.close(), annOnB.close()]);
  });

  it('recovers every event missed while Redis was away, with no gap and no duplicate', async () => {
    const [a, b] = instances.map((i) => i.baseUrl) as [string, string];
    const writer = await registerUserAt(a);
    const onA = follow(() => [a], await registerUserAt(a));
    const onB = follow(() => [b], await registerUserAt(b));
    await Promise.all([onA.start(), onB.start()]);

    const stored: number[] = [];
    const post = async (base: string, i: number) => {
      const r = await callJson<Message>(base, writer.auth, 'POST', '/api/chat/messages', {
        content: `outage ${i}`,
        client_id: `outage-${i}`,
      });
      expect(r.status).toBe(201);
      stored.push(r.json.id);
    };
    for (let i = 0; i < 5; i++) await post(i % 2 === 0 ? a : b, i);
    await redis.stop();
    const ready = await fetch(`${a}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', database: 'ok', bus: 'unreachable' });
    for (let i = 5; i < 25; i++) {
      await post(i % 2 === 0 ? a : b, i);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await redis.start();
    const all = [...stored].sort((x, y) => x - y);
    for (const client of [onA, onB]) {
      await eventually('a client holds every message', () => all.every((id) => client.messages.has(id)), 10_000);
    }
    expect(new Set(stored).size).toBe(25);
    await Promise.all([onA.stop(), onB.stop()]);
  }, 60_000);

  it('loses nothing when an instance is killed mid-traffic; its users leave presence within 60 s', async () => {
    const [a, b] = instances.map((i) => i.baseUrl) as [string, string];
    const victim = instances[0] as ServerProcess;
    const watcher = await registerUserAt(b);
    const onlyOnA = await registerUserAt(a);
    const stayOnA = await openSocket(a, { token: onlyOnA.token });
    await stayOnA.next('hello');
    await eventually('B lists the user connected to A', async () =>
      (await callJson<{ id: number }[]>(b, watcher.auth, 'GET', '/api/chat/online')).json.some(
        (u) => u.id === onlyOnA.id,
      ),
    );

    const posters = await Promise.all([1, 2, 3].map(() => registerUserAt(a)));
    const acknowledged = new Map<string, number>();
    const postLoop = async (user: HttpUser, index: number) => {
      for (let i = 0; i < 30; i++) {
        const clientId = `kill-${index}-${i}`;
        // Like the page: retry the same client_id, on A then on B, until it is stored.
        for (let tries = 0; tries < 20; tries++) {
          const base = victim.running && tries % 2 === 0 ? a : b;
          const r = await callJson<Message>(base, user.auth, 'POST', '/api/chat/messages', {
            content: clientId,
            client_id: clientId,
          }).catch(() => undefined);
          if (r?.status === 201) {
            acknowledged.set(clientId, r.json.id);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const traffic = Promise.all(posters.map((user, index) => postLoop(user, index)));
    await eventually('some messages went through A', () => acknowledged.size >= 10);
    await victim.kill();
    await traffic;

    expect(acknowledged.size).toBe(90);
    const stored: Message[] = [];
    for (let after = 0; ;) {
      const page = (await callJson<MessageList>(b, watcher.auth, 'GET', `/api/chat/messages?after=${after}&limit=100`))
        .json;
      stored.push(...page.messages);
      if (!page.has_more) break;
      after = page.messages.at(-1)?.id ?? after;
    }
    for (const [clientId, id] of acknowledged) {
      expect(stored.filter((m) => m.content === clientId)).toHaveLength(1);
      expect(stored.find((m) => m.content === clientId)?.id).toBe(id);
    }

    await eventually(
      "the killed instance's user left B's presence",
      async () =>
        !(await callJson<{ id: number }[]>(b, watcher.auth, 'GET', '/api/chat/online')).json.some(
          (u) => u.id === onlyOnA.id,
        ),
      60_000,
    );
  }, 120_000);
});
