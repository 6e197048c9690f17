import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/server/bus/bus.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { HandshakeRefused, openSocket, type TestSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('WebSocket caps and typing on %s', (dialect) => {
  let t: TestApp;
  let base: string;
  const clock = testClock(Date.now());
  let sockets: TestSocket[] = [];
  beforeAll(async () => {
    t = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1' }, clock });
    base = await t.listen();
  });
  afterEach(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    sockets = [];
  });
  afterAll(() => t.close());

  /** Opens a socket; resolves with it, or with the HTTP status or close code that refused it. */
  const attempt = async (user: TestUser): Promise<TestSocket | number> => {
    try {
      const socket = await openSocket(base, { token: user.token });
      sockets.push(socket);
      const outcome = await Promise.race([socket.next('hello', undefined, 15_000), socket.closed]);
      return 'code' in outcome ? outcome.code : socket;
    } catch (error) {
      if (error instanceof HandshakeRefused) return error.status;
      throw error;
    }
  };

  it('refuses a 21st socket of one person with 429 too_many_connections, and takes one again once a socket closes', async () => {
    const u = await makeUser(t);
    const opened = await Promise.all(Array.from({ length: 20 }, () => attempt(u)));
    expect(opened.map((socket) => typeof socket)).toEqual(Array(20).fill('object'));
    expect(await attempt(u)).toBe(429);
    const refusal = await handshake(base, u.token);
    expect(refusal.status).toBe(429);
    expect(JSON.parse(refusal.body)).toMatchObject({ code: 'too_many_connections' });
    expect(Number(refusal.retryAfter)).toBeGreaterThan(0);
    await sockets[0]?.close();
    await expect.poll(async () => typeof (await attempt(u)), { timeout: 15_000 }).toBe('object');
  });

  it('keeps 20 of 30 parallel handshakes of one person, refusing or closing (1008) the rest', async () => {
    const u = await makeUser(t);
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt(u)));
    const open = outcomes.filter((o) => typeof o === 'object');
    expect(open).toHaveLength(20);
    for (const refused of outcomes.filter((o) => typeof o === 'number')) expect([429, 1008]).toContain(refused);
  });

  it('refuses the 201st socket from one address, whoever opens it', async () => {
    const people = await Promise.all(Array.from({ length: 11 }, () => makeUser(t)));
    // Retried: the server may still be counting sockets the previous test closed.
    // Each person's 20 at once: a hello may wait for the next presence update (up to 250 ms).
    for (const person of people.slice(0, 10)) {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          expect.poll(async () => typeof (await attempt(person)), { timeout: 15_000 }).toBe('object'),
        ),
      );
    }
    expect(await attempt(people[10] as TestUser)).toBe(429);
  });

  it('relays at most one typing per person every 2 s to the bus, however many frames arrive', async () => {
    const u = await makeUser(t);
    const published: BusMessage[] = [];
    const unsubscribe = t.services.bus.subscribe((m) => {
      if (m.kind === 'typing' && m.userId === u.id && m.until > 0) published.push(m);
    });
    try {
      const socket = await attempt(u);
      if (typeof socket === 'number') throw new Error(`refused: ${socket}`);
      for (let i = 0; i < 50; i++) socket.send({ type: 'typing' });
      socket.send({ type: 'ping' });
      await socket.next('pong', undefined, 15_000);
      expect(published).toHaveLength(1);
      clock.advance(1_999);
      socket.send({ type: 'typing' });
      socket.send({ type: 'ping' });
      await socket.next('pong', undefined, 15_000);
      expect(published).toHaveLength(1);
      clock.advance(1);
      socket.send({ type: 'typing' });
      socket.send({ type: 'ping' });
      await socket.next('pong', undefined, 15_000);
      expect(published).toHaveLength(2);
    } finally {
      unsubscribe();
    }
  });
});

/** A raw upgrade request, to read the body and headers of a refused handshake. */
function handshake(base: string, token: string): Promise<{ status: number; body: string; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${base}/ws`, {
      headers: {
        authorization: `Bearer ${token}`,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
      },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        const retryAfter = response.headers['retry-after'];
        resolve({ status: response.statusCode ?? 0, body, ...(retryAfter === undefined ? {} : { retryAfter }) });
      });
    });
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      reject(new Error('the handshake was accepted'));
    });
    request.on('error', reject);
  });
}
