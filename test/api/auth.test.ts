import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeUser } from '../../src/server/admin/account.commands.js';
import { createTestApp, withTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { makeUser } from '../helpers/users.js';

describe.each(testDialects())('accounts on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    // The first account is the admin by itself: it is taken here, so every test's users start as members.
    await makeUser(t);
  });
  afterAll(() => t.close());

  const post = (url: string, payload: object) => guest(t.app).post(url, payload);
  /** `/auth/me` with the headers of a token or cookie under test. */
  const me = (headers: Record<string, string>) => guest(t.app).get('/auth/me', { headers });

  it('registers, sets an HttpOnly cookie and gives a bearer token that works', async () => {
    // An instance of its own: the first account is its admin.
    await withTestApp(dialect, {}, async (own) => {
      const response = await guest(own.app).post('/auth/register', {
        email: 'Grace.Hopper@Example.com',
        password: 'cobol-forever',
      });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ access_token: string; token_type: string }>();
      expect(body.token_type).toBe('bearer');
      const cookie = response.cookies.find((c) => c.name === 'codechicks_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.secure).toBeFalsy();

      const byBearer = await guest(own.app).get('/auth/me', {
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      expect(byBearer.statusCode).toBe(200);
      expect(byBearer.json()).toMatchObject({
        email: 'grace.hopper@example.com',
        username: 'gracehopper',
        display_name: 'gracehopper',
        // The first account of an instance is its admin (test/api/first-admin.test.ts).
        role: 'admin',
        disabled: false,
        profile_complete: false,
        has_password: true,
        timezone: 'UTC',
      });
      expect(byBearer.json<{ created_at: string }>().created_at).toMatch(/Z$/);
      const byCookie = await guest(own.app).get('/auth/me', {
        headers: { cookie: `codechicks_session=${cookie?.value}` },
      });
      expect(byCookie.json()).toMatchObject({ email: 'grace.hopper@example.com' });
    });
  });

  it('keeps the username and display name given at registration', async () => {
    const response = await post('/auth/register', {
      email: 'ada@example.com',
      password: 'analytical',
      username: 'Ada_L',
      display_name: '  Ada Lovelace ',
    });
    expect(response.statusCode).toBe(200);
    const profile = await me({ authorization: `Bearer ${response.json<{ access_token: string }>().access_token}` });
    expect(profile.json()).toMatchObject({ username: 'Ada_L', display_name: 'Ada Lovelace', profile_complete: false });
  });

  it('refuses a duplicate email whatever its case, and a taken username', async () => {
    await post('/auth/register', { email: 'dup@example.com', password: 'password-1', username: 'Dup_L' });
    const again = await post('/auth/register', { email: 'DUP@example.com', password: 'password-2' });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({ detail: 'Email already registered', code: 'email_taken' });
    const taken = await post('/auth/register', {
      email: 'other@example.com',
      password: 'password-2',
      username: 'DUP_l',
    });
    expect(taken.json()).toEqual({ detail: 'Username already taken', code: 'username_taken' });
  });

  it('lets exactly one of 20 parallel registrations of one email through', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post('/auth/register', { email: 'race@example.com', password: 'password-123' })),
    );
    const codes = responses.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 400)).toHaveLength(19);
    for (const r of responses.filter((r) => r.statusCode === 400))
      expect(r.json().detail).toBe('Email already registered');
  });

  it('gives parallel registrations of one email stem distinct usernames', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post('/auth/register', { email: `sam+${i}@host${i}.example`, password: 'password-123' }),
      ),
    );
    const names = await Promise.all(
      responses.map(async (r) => {
        expect(r.statusCode).toBe(200);
        return (await me({ authorization: `Bearer ${r.json<{ access_token: string }>().access_token}` })).json<{
          username: string;
        }>().username;
      }),
    );
    expect(new Set(names).size).toBe(8);
    for (const name of names) expect(name).toMatch(/^sam\d*$/);
  });

  it('uses "user" as the stem when the local part has too few usable characters', async () => {
    const response = await post('/auth/register', { email: 'a-b@example.com', password: 'password-123' });
    const profile = await me({ authorization: `Bearer ${response.json<{ access_token: string }>().access_token}` });
    expect(profile.json<{ username: string }>().username).toMatch(/^user\d*$/);
  });

  it('validates email and password with readable messages', async () => {
    const response = await post('/auth/register', { email: 'not-an-email', password: 'short' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      code: 'validation_failed',
      detail: [
        { loc: ['body', 'email'], msg: 'Must be a valid email address', type: 'format' },
        { loc: ['body', 'password'], msg: 'Must be at least 8 characters', type: 'minLength' },
      ],
    });
    const long = await post('/auth/register', { email: 'x@example.com', password: 'p'.repeat(129) });
    expect(long.json().detail[0]).toMatchObject({ loc: ['body', 'password'], msg: 'Must be at most 128 characters' });
    const missing = await post('/auth/register', { email: 'x@example.com' });
    expect(missing.json().detail).toEqual([{ loc: ['body', 'password'], msg: 'Field required', type: 'required' }]);
  });

  it('logs in with JSON or the OAuth2 form, and refuses wrong passwords and unknown emails alike', async () => {
    const u = await makeUser(t, { email: 'login@example.com', password: 'right-password' });
    const json = await post('/auth/login', { email: 'LOGIN@example.com', password: u.password });
    expect(json.statusCode).toBe(200);
    // A form body, not JSON: the bare app.inject.
    const form = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=login%40example.com&password=right-password',
    });
    expect(form.statusCode).toBe(200);
    expect(form.json<{ token_type: string }>().token_type).toBe('bearer');

    const wrong = await post('/auth/login', { email: u.email, password: 'wrong-password' });
    const unknown = await post('/auth/login', { email: 'nobody@example.com', password: 'wrong-password' });
    for (const r of [wrong, unknown]) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ detail: 'Incorrect email or password', code: 'incorrect_login' });
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('answers 401 Not authenticated without a token, and Could not validate credentials for a bad one', async () => {
    const none = await me({});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ detail: 'Not authenticated', code: 'not_authenticated' });
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const basic = await me({ authorization: 'Basic dXNlcjpwYXNz' });
    expect(basic.json().detail).toBe('Not authenticated');
    const garbage = await me({ authorization: 'Bearer invalid_token' });
    expect(garbage.statusCode).toBe(401);
    expect(garbage.json()).toEqual({ detail: 'Could not validate credentials', code: 'invalid_credentials' });
  });

  it('refuses expired, tampered, foreign-key, alg:none and unknown-user tokens', async () => {
    const u = await makeUser(t);
    const key = new TextEncoder().encode(t.config.secretKey);
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: object, iat: number, exp: number, signingKey = key) =>
      new SignJWT({ ver: 0, ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(signingKey);

    const valid = await sign({ sub: String(u.id) }, now, now + 600);
    expect((await me({ authorization: `Bearer ${valid}` })).statusCode).toBe(200);

    const expired = await sign({ sub: String(u.id) }, now - 7200, now - 3600);
    const foreign = await sign({ sub: String(u.id) }, now, now + 600, randomBytes(32));
    const unknownUser = await sign({ sub: '999999' }, now, now + 600);
    const [header, payload, signature] = valid.split('.');
    const tamperedPayload = Buffer.from(JSON.stringify({ sub: '1', ver: 0, iat: now, exp: now + 600 })).toString(
      'base64url',
    );
    const tampered = `${header}.${tamperedPayload}.${signature}`;
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const algNone = `${noneHeader}.${payload}.`;
    for (const token of [expired, foreign, unknownUser, tampered, algNone]) {
      const response = await me({ authorization: `Bearer ${token}` });
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toBe('Could not validate credentials');
    }
  });

  it('shuts a disabled user out: login says Account disabled, old tokens stop working everywhere', async () => {
    const u = await makeUser(t);
    await changeUser(t.services, { kind: 'cli' }, u.id, { disabled: true });
    for (const url of ['/auth/me', '/api/profile', '/api/profile/status', '/api/dashboard']) {
      const response = await as(u).get(url);
      expect(response.statusCode, url).toBe(401);
      expect(response.json().detail).toBe('Could not validate credentials');
    }
    const login = await post('/auth/login', { email: u.email, password: u.password });
    expect(login.statusCode).toBe(403);
    expect(login.json()).toEqual({ detail: 'Account disabled', code: 'account_disabled' });
    const wrong = await post('/auth/login', { email: u.email, password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
  });

  it('revokes every token on logout-all, and clears the cookie on logout', async () => {
    const u = await makeUser(t);
    const second = await post('/auth/login', { email: u.email, password: u.password });
    const secondAuth = { authorization: `Bearer ${second.json<{ access_token: string }>().access_token}` };
    const out = await as(u).post('/auth/logout-all');
    expect(out.statusCode).toBe(204);
    expect((await me(u.auth)).statusCode).toBe(401);
    expect((await me(secondAuth)).statusCode).toBe(401);
    const fresh = await post('/auth/login', { email: u.email, password: u.password });
    expect(fresh.statusCode).toBe(200);

    const logout = await guest(t.app).post('/auth/logout');
    expect(logout.statusCode).toBe(204);
    const cleared = logout.cookies.find((c) => c.name === 'codechicks_session');
    expect(cleared?.value).toBe('');
  });

  it('verifies a passlib pbkdf2-sha256 hash from the Python version and replaces it with argon2id', async () => {
    const u = await makeUser(t, { password: 'legacy-password' });
    const salt = randomBytes(16);
    const checksum = pbkdf2Sync('legacy-password', salt, 29000, 32, 'sha256');
    const ab64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
    const legacy = `$pbkdf2-sha256$29000$${ab64(salt)}$${ab64(checksum)}`;
    const { db } = t.database;
    await db.updateTable('users').set({ password_hash: legacy }).where('id', '=', u.id).execute();

    expect((await post('/auth/login', { email: u.email, password: 'wrong-password' })).statusCode).toBe(401);
    const stillLegacy = await db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(stillLegacy.password_hash).toBe(legacy);

    expect((await post('/auth/login', { email: u.email, password: 'legacy-password' })).statusCode).toBe(200);
    const upgraded = await db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(upgraded.password_hash).toMatch(/^\$argon2id\$/);
    expect((await post('/auth/login', { email: u.email, password: 'legacy-password' })).statusCode).toBe(200);
  });

  it('renews a browser session cookie once half of its life has passed', async () => {
    const u = await makeUser(t);
    const key = new TextEncoder().encode(t.config.secretKey);
    const now = Math.floor(Date.now() / 1000);
    const old = await new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(u.id))
      .setIssuedAt(now - 20 * 60)
      .setExpirationTime(now + 10 * 60)
      .sign(key);
    const response = await me({ cookie: `codechicks_session=${old}` });
    expect(response.statusCode).toBe(200);
    const renewed = response.cookies.find((c) => c.name === 'codechicks_session');
    expect(renewed?.value).toBeTruthy();
    expect(renewed?.value).not.toBe(old);
    const young = await me({ cookie: `codechicks_session=${renewed?.value}` });
    expect(young.cookies.find((c) => c.name === 'codechicks_session')).toBeUndefined();
  });
});

describe.each(testDialects())('login limits on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1' } });
  });
  afterAll(() => t.close());

  it('answers the 11th failed login of an account within a minute with 429 and Retry-After', async () => {
    const u = await makeUser(t, { password: 'the-right-one' });
    for (let i = 0; i < 10; i++) {
      const r = await guest(t.app).post('/auth/login', { email: u.email, password: `wrong-${i}-pw` });
      expect(r.statusCode).toBe(401);
    }
    const eleventh = await guest(t.app).post('/auth/login', { email: u.email, password: u.password });
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().code).toBe('rate_limited');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers the 21st registration from one address within a minute with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      // The client address is under test: the bare app.inject.
      const r = await t.app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: `burst${i}@example.com`, password: 'password-123' },
        remoteAddress: '10.9.8.7',
      });
      codes.push(r.statusCode);
      if (i === 20) expect(r.headers['retry-after']).toBeDefined();
    }
    // One registration happened above in this file from another address.
    expect(codes.slice(0, 20).every((c) => c === 200)).toBe(true);
    expect(codes[20]).toBe(429);
  });
});
