import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/protocol/auth.js';
import type { ErrorBody } from '../../src/protocol/errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser } from '../helpers/users.js';

describe('HTTP hardening', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { requestTimeoutMs: 1_000 });
    base = await t.listen();
  });
  afterAll(() => t.close());

  it('uses the cookie when a proxy adds its own Authorization scheme (Basic)', async () => {
    const u = await makeUser(t);
    const proxied = { headers: { authorization: 'Basic cHJveHk6c2VjcmV0' } };
    const me = await as(u, 'cookie').get<Me>('/auth/me', proxied);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: u.email });
    const sent = await as(u, 'cookie').post('/api/chat/messages', { content: 'through the proxy' }, proxied);
    expect(sent.statusCode).toBe(201);
    // Without the cookie, another scheme is simply no session.
    const alone = await guest(t.app).get('/auth/me', { headers: { authorization: 'Basic abc' } });
    expect(alone.statusCode).toBe(401);
    expect(alone.json<ErrorBody>().code).toBe('not_authenticated');
    // A malformed Bearer header is still refused, not passed over for the cookie.
    const broken = await as(u, 'cookie').get('/auth/me', { headers: { authorization: 'Bearer' } });
    expect(broken.statusCode).toBe(401);
  });

  it('closes a connection whose body trickles in, and keeps WebSocket connections open', async () => {
    const u = await makeUser(t);
    const socket = await openSocket(base, { token: u.token });
    await socket.next('hello');
    const { port } = new URL(base);
    const raw = connect(Number(port), '127.0.0.1');
    let answer = '';
    raw.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => raw.on('close', () => resolve()));
    raw.write(
      'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const trickle = setInterval(() => raw.write(' '), 200);
    await closed; // without a request timeout this waits forever
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // The WebSocket, quiet all along, is still there and answers.
    socket.send({ type: 'ping' });
    await socket.next('pong');
    await socket.close();
  }, 30_000);

  it('lets an in-process request refused before its body was read outlive the body timeout', async () => {
    // Refused by the CSRF check before its body is read: the body never "ends".
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/chat/messages',
      headers: { 'content-type': 'application/json', origin: 'https://elsewhere.example' },
      payload: { content: 'x' },
    });
    expect(refused.statusCode).toBe(403);
    // Past the 1 s body timeout: before, its timer threw (no socket to end) in this process.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  });

  it('answers bad URL encodings, over-long ids and other framework errors as {detail, code}', async () => {
    const u = await makeUser(t);
    const badEncoding = await as(u).get('/api/chat/messages/%E0%A4%A');
    expect(badEncoding.statusCode).toBe(400);
    expect(badEncoding.json()).toEqual({ detail: 'The address is not valid (bad percent-encoding)', code: 'bad_url' });
    expect((await guest(t.app).get('/%')).json<ErrorBody>().code).toBe('bad_url');
    const longId = await as(u).get(`/api/chat/messages/${'1'.repeat(200)}`);
    expect(longId.statusCode).toBe(414);
    expect(longId.json()).toEqual({ detail: 'The address is too long', code: 'uri_too_long' });
    // A raw body and content headers under test: the bare app.inject.
    const emptyJson = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    // An empty JSON body is no body (the Python version's pages send one): a missing body, 422.
    expect(emptyJson.statusCode).toBe(422);
    expect(Object.keys(emptyJson.json()).sort()).toEqual(['code', 'detail']);
    const badLength = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json', 'content-length': '5' },
      payload: '{"email":"a@b.c","password":"x"}',
    });
    expect(badLength.statusCode).toBeGreaterThanOrEqual(400);
    expect(badLength.statusCode).toBeLessThan(500);
    expect(Object.keys(badLength.json()).sort()).toEqual(['code', 'detail']);
  });
});
