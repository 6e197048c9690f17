import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRedis, hasRedis, type RedisServer } from '../helpers/redis-server.js';
import type { ErrorBody } from '../../src/protocol/errors.js';
import { callJson } from '../helpers/http.js';
import { registerUserAt, startServerProcess, type HttpUser, type ServerProcess } from '../helpers/server-process.js';
import { openSocket } from '../helpers/socket.js';

const postgresUrl = inject('postgresUrl');

/** The real `npm run users` as its own process, with the servers' environment. */
function runUsers(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe.skipIf(!hasRedis || postgresUrl === null)('moderation across instances on PostgreSQL and Redis', () => {
  let redis: RedisServer;
  let admin: pg.Client;
  let databaseName: string;
  let env: Record<string, string>;
  const instances: ServerProcess[] = [];
  let boss: HttpUser;

  beforeAll(async () => {
    redis = await startRedis();
    admin = new pg.Client({ connectionString: postgresUrl ?? '' });
    await admin.connect();
    databaseName = `codechicks_moderation_${randomBytes(5).toString('hex')}`;
    await admin.query(`create database ${databaseName}`);
    const url = new URL(postgresUrl ?? '');
    url.pathname = `/${databaseName}`;
    env = { DATABASE_URL: url.toString(), REDIS_URL: redis.url, SECRET_KEY: randomBytes(32).toString('hex') };
    // One after the other: the first migrates the empty database.
    instances.push(await startServerProcess({ env }));
    instances.push(await startServerProcess({ env }));
  }, 150_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await redis.stop();
    await admin.query(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  });

  it('holds slow mode across instances, pushes it to pages on both, and keeps it over a restart', async () => {
    const [a, b] = instances.map((i) => i.baseUrl) as [string, string];
    // The first account of the place: its admin.
    boss = await registerUserAt(a);
    const member = await registerUserAt(b);
    const onA = await openSocket(a, { token: member.token });
    await onA.next('hello');

    expect((await callJson(b, boss.auth, 'PUT', '/api/admin/chat/settings', { slow_mode_seconds: 600 })).status).toBe(
      200,
    );
    expect(await onA.next('chat.settings')).toEqual({ type: 'chat.settings', slow_mode_seconds: 600 });
    expect((await callJson(a, member.auth, 'POST', '/api/chat/messages', { content: 'on A' })).status).toBe(201);
    const onB = await callJson<ErrorBody>(b, member.auth, 'POST', '/api/chat/messages', { content: 'on B, at once' });
    expect(onB.status).toBe(429);
    expect(onB.json.code).toBe('slow_mode');
    onA.send({ type: 'message.send', ref: 'again', content: 'over the socket on A' });
    expect(await onA.next('error')).toMatchObject({ ref: 'again', code: 'slow_mode' });
    expect((await callJson(a, boss.auth, 'POST', '/api/chat/messages', { content: 'admins are exempt' })).status).toBe(
      201,
    );
    await onA.close();

    await instances[0]?.stop();
    await instances[0]?.start();
    expect((await callJson(a, boss.auth, 'GET', '/api/admin/chat/settings')).json).toEqual({ slow_mode_seconds: 600 });
    expect((await callJson(a, member.auth, 'POST', '/api/chat/messages', { content: 'after restart' })).status).toBe(
      429,
    );
    await callJson(a, boss.auth, 'PUT', '/api/admin/chat/settings', { slow_mode_seconds: 0 });
  }, 90_000);

  it('the users command: refused on the last admin; a demotion updates open pages and closes none', async () => {
    const [a, b] = instances.map((i) => i.baseUrl) as [string, string];
    const helper = await registerUserAt(b);
    const last = await runUsers(env, 'demote', boss.email);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('This is the last admin');
    expect((await runUsers(env, 'promote', helper.email)).stdout.trim()).toBe(`${helper.email} is now an admin`);
    const page = await openSocket(a, { token: helper.token });
    await page.next('hello');

    const demoted = await runUsers(env, 'demote', helper.email);
    expect(demoted.stdout.trim()).toBe(`${helper.email} is no longer an admin`);
    expect(await page.next('role.changed', undefined, 15_000)).toEqual({ type: 'role.changed', role: 'user' });
    const pong = page.next('pong');
    page.send({ type: 'ping' });
    await pong;
    expect(page.ws.readyState).toBe(page.ws.OPEN);
    await page.close();

    const audit = await callJson<{ entries: unknown[] }>(b, boss.auth, 'GET', '/api/admin/audit?limit=2');
    expect(audit.json.entries).toMatchObject([
      { actor_kind: 'cli', actor: null, action: 'account.changed', target_user: { id: helper.id } },
      { actor_kind: 'cli', actor: null, action: 'account.changed', target_user: { id: helper.id } },
    ]);
  }, 60_000);
});
