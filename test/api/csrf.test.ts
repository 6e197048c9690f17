import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageList } from '../../src/protocol/chat.js';
import type { Profile } from '../../src/protocol/profile.js';
import type { TimerState } from '../../src/protocol/timer.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { cookieHeaders, sameSiteHeaders } from '../helpers/same-site.js';
import { makeUser, type TestUser } from '../helpers/users.js';

type Method = 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const CROSS_SITE = [
  { origin: 'http://localhost:5173', 'sec-fetch-site': 'same-site' }, // another port of the same host
  { origin: 'https://evil.localhost', 'sec-fetch-site': 'same-site' }, // a sibling subdomain
  { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' },
  { origin: 'null' }, // a sandboxed frame or a redirect chain
  { 'sec-fetch-site': 'cross-site' }, // Origin stripped, fetch metadata still says it
  {}, // neither header, but the cookie came along
] as const;

describe.each(testDialects())('cross-site request forgery on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      env: { PUBLIC_URL: 'https://chat.example.org', CORS_ORIGINS: 'https://app.example.org' },
    });
  });
  afterAll(() => t.close());

  const withCookie = (user: TestUser, headers: Record<string, string>) => ({
    cookie: `codechicks_session=${user.token}`,
    ...headers,
  });
  // Headers are what is under test here: each call gives them all, on no client's own.
  const send = (method: Method, url: string, headers: Record<string, string>, payload?: object) =>
    guest(t.app).request(method, url, payload, { headers });

  const unsafeRoutes: { name: string; method: Method; url: string; payload?: object }[] = [
    { name: 'posting a chat message', method: 'POST', url: '/api/chat/messages', payload: { content: 'forged' } },
    { name: 'changing the profile', method: 'PATCH', url: '/api/profile', payload: { bio: 'forged' } },
    { name: 'starting the timer', method: 'POST', url: '/api/timer/start', payload: { label: 'forged' } },
    { name: 'logging out everywhere', method: 'POST', url: '/auth/logout-all' },
  ];

  it.each(unsafeRoutes)('refuses $name from another site with the cookie, and does nothing', async (route) => {
    const victim = await makeUser(t);
    for (const headers of CROSS_SITE) {
      const response = await send(route.method, route.url, withCookie(victim, headers), route.payload);
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json()).toEqual({
        detail: 'This request came from another site and was refused',
        code: 'cross_site_request',
      });
    }
    // Nothing happened: no message, the old bio, the timer idle, the session alive.
    const me = await as(victim).get<Profile>('/api/profile');
    expect(me.statusCode).toBe(200);
    expect(me.json().bio).toBeNull();
    const messages = await as(victim).get<MessageList>('/api/chat/messages');
    expect(messages.json().messages.map((m) => m.content)).not.toContain('forged');
    const timer = await as(victim).get<TimerState>('/api/timer');
    expect(timer.json().state).toBe('idle');
  });

  it('lets the site itself, PUBLIC_URL and a CORS_ORIGINS entry through with the cookie', async () => {
    const user = await makeUser(t);
    const trusted = [
      cookieHeaders(user.token),
      withCookie(user, { origin: 'http://localhost' }),
      withCookie(user, { 'sec-fetch-site': 'same-origin' }),
      withCookie(user, { origin: 'https://chat.example.org', 'sec-fetch-site': 'cross-site' }),
      withCookie(user, { origin: 'https://app.example.org', 'sec-fetch-site': 'cross-site' }),
    ];
    for (const [i, headers] of trusted.entries()) {
      const sent = await send('POST', '/api/chat/messages', headers, { content: `from a trusted page ${i}` });
      expect(sent.statusCode, JSON.stringify(headers)).toBe(201);
    }
    const patched = await send('PATCH', '/api/profile', cookieHeaders(user.token), { bio: 'mine' });
    expect(patched.json()).toMatchObject({ bio: 'mine' });
    expect((await send('POST', '/api/timer/start', cookieHeaders(user.token), {})).statusCode).toBe(200);
    expect((await send('POST', '/auth/logout-all', cookieHeaders(user.token))).statusCode).toBe(204);
  });

  it('leaves Bearer requests alone, whatever their Origin', async () => {
    const user = await makeUser(t);
    const evil = { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site', ...user.auth };
    expect((await send('POST', '/api/chat/messages', evil, { content: 'by an API client' })).statusCode).toBe(201);
    expect((await send('PATCH', '/api/profile', evil, { bio: 'api' })).statusCode).toBe(200);
    expect((await send('POST', '/api/timer/start', evil, {})).statusCode).toBe(200);
    // A Bearer header with the cookie too: the header authenticates, not the cookie.
    expect((await send('POST', '/auth/logout-all', withCookie(user, evil))).statusCode).toBe(204);
  });

  it('lets safe methods through from anywhere (they change nothing)', async () => {
    const reader = await makeUser(t);
    const response = await guest(t.app).get('/api/profile', {
      headers: withCookie(reader, { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' }),
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses sign-in, registration and logout that another site sends (login CSRF)', async () => {
    const account = await makeUser(t);
    const json = { email: account.email, password: account.password };
    const form = `username=${encodeURIComponent(account.email)}&password=${encodeURIComponent(account.password)}`;
    const formType = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const headers of CROSS_SITE.filter((h) => Object.keys(h).length > 0)) {
      const login = await send('POST', '/auth/login', headers, json);
      expect(login.statusCode, JSON.stringify(headers)).toBe(403);
      expect(login.json().code).toBe('cross_site_request');
      expect(login.cookies).toEqual([]);
      const formLogin = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { ...headers, ...formType },
        payload: form,
      });
      expect(formLogin.statusCode).toBe(403);
      const register = await send('POST', '/auth/register', headers, {
        email: `csrf-${Math.random()}@example.com`,
        password: 'correct horse battery',
      });
      expect(register.statusCode).toBe(403);
      expect((await send('POST', '/auth/logout', headers)).statusCode).toBe(403);
    }
    // The site's own pages sign in; so does an API client that sends neither header and no cookie.
    expect((await send('POST', '/auth/login', sameSiteHeaders(), json)).statusCode).toBe(200);
    expect((await send('POST', '/auth/login', {}, json)).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'POST', url: '/auth/login', headers: formType, payload: form })).statusCode,
    ).toBe(200);
    expect((await send('POST', '/auth/logout', sameSiteHeaders())).statusCode).toBe(204);
  });

  it('parses form bodies only on /auth/login', async () => {
    const user = await makeUser(t);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/chat/messages',
      headers: { ...user.auth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'content=from+a+form',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('unsupported_media_type');
    const register = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=form%40example.com&password=correct+horse+battery',
    });
    expect(register.statusCode).toBe(415);
  });
});

describe('the session cookie in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { NODE_ENV: 'production', PUBLIC_URL: 'https://chat.example.org' } });
  });
  afterAll(() => t.close());

  it('is __Host- prefixed: Secure, Path=/, no Domain; and it signs the browser in', async () => {
    const response = await guest(t.app).post(
      '/auth/register',
      { email: 'host-prefix@example.com', password: 'correct horse battery' },
      { headers: sameSiteHeaders('https://chat.example.org') },
    );
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-codechicks_session=/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    const cookie = response.cookies.find((c) => c.name === '__Host-codechicks_session');
    const me = await guest(t.app).get('/auth/me', {
      headers: { cookie: `__Host-codechicks_session=${cookie?.value}` },
    });
    expect(me.json()).toMatchObject({ email: 'host-prefix@example.com' });
    // The unprefixed name, which a sibling subdomain could have planted, is not read.
    const planted = await guest(t.app).get('/auth/me', { headers: { cookie: `codechicks_session=${cookie?.value}` } });
    expect(planted.statusCode).toBe(401);
  });
});
