import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HASH_CONCURRENCY, HASH_MAX_WAITING } from '../../src/server/auth/passwords.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { makeUser } from '../helpers/users.js';

const login = (t: TestApp, email: string, password: string, request: { ip?: string; forwardedFor?: string } = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email, password },
    remoteAddress: request.ip ?? '127.0.0.1',
    headers: request.forwardedFor === undefined ? {} : { 'x-forwarded-for': request.forwardedFor },
  });

const countOf = (codes: number[], code: number) => codes.filter((c) => c === code).length;

describe.each(testDialects())('login limits that cannot be raced or bypassed, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1' } });
  });
  afterAll(() => t.close());

  it('lets exactly 10 of 300 parallel wrong passwords for one account be checked', async () => {
    const u = await makeUser(t, { password: 'the-right-one' });
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => login(t, u.email, `wrong-${i}-pw`, { ip: '192.0.2.1' })),
    );
    const codes = responses.map((r) => r.statusCode);
    expect(countOf(codes, 401)).toBe(10);
    expect(countOf(codes, 429)).toBe(290);
    for (const r of responses.filter((r) => r.statusCode === 429)) {
      expect(r.json().code).toBe('rate_limited');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Even the right password now waits for the window to end.
    expect((await login(t, u.email, u.password, { ip: '192.0.2.2' })).statusCode).toBe(429);
  });

  it('limits every login attempt of an address to 60 a minute, right passwords too', async () => {
    const u = await makeUser(t, { password: 'the-right-one' });
    for (let i = 0; i < 60; i++)
      expect((await login(t, u.email, u.password, { ip: '192.0.2.3' })).statusCode).toBe(200);
    const sixtyFirst = await login(t, u.email, u.password, { ip: '192.0.2.3' });
    expect(sixtyFirst.statusCode).toBe(429);
    expect(Number(sixtyFirst.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(t, u.email, u.password, { ip: '192.0.2.4' })).statusCode).toBe(200);
  });
});

describe.each(testDialects())('behind one proxy (TRUST_PROXY=1) on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1', TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  it('counts the address the proxy saw, not one the client prepended to X-Forwarded-For', async () => {
    // nginx with $proxy_add_x_forwarded_for appends the real address to what the client sent.
    const viaProxy = (i: number, client: string) => ({ ip: '127.0.0.1', forwardedFor: `198.18.${i}.1, ${client}` });
    for (let i = 0; i < 50; i++) {
      const r = await login(t, `nobody-${i}@example.com`, 'wrong-password', viaProxy(i, '203.0.113.9'));
      expect(r.statusCode).toBe(401);
    }
    const fiftyFirst = await login(t, 'nobody-51@example.com', 'wrong-password', viaProxy(51, '203.0.113.9'));
    expect(fiftyFirst.statusCode).toBe(429);
    const otherClient = await login(t, 'nobody-52@example.com', 'wrong-password', viaProxy(52, '203.0.113.10'));
    expect(otherClient.statusCode).toBe(401);
  });
});

describe.each(testDialects())('password hashing under a flood on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('answers logins beyond the hashing queue with 503 busy and Retry-After, and serves the rest', async () => {
    const u = await makeUser(t, { password: 'the-right-one' });
    const flood = 3 * (HASH_CONCURRENCY + HASH_MAX_WAITING);
    const responses = await Promise.all(
      Array.from({ length: flood }, (_, i) => login(t, u.email, u.password, { ip: `198.51.100.${i % 250}` })),
    );
    const codes = responses.map((r) => r.statusCode);
    expect(countOf(codes, 200) + countOf(codes, 503)).toBe(flood);
    expect(countOf(codes, 200)).toBeGreaterThanOrEqual(HASH_CONCURRENCY + HASH_MAX_WAITING);
    const busy = responses.filter((r) => r.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      expect(r.json()).toMatchObject({ code: 'busy' });
      expect(r.headers['retry-after']).toBe('1');
    }
    // Once the flood has passed, the next login is served.
    expect((await login(t, u.email, u.password)).statusCode).toBe(200);
  });
});
