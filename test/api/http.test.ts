import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../src/server/http/pages.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { makeUser } from '../helpers/users.js';

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    // The first account is the admin by itself: it is taken here, so every test's users start as members.
    await makeUser(t);
  });
  afterAll(() => t.close());

  it('answers an unknown route 404 and a wrong method 405, both as JSON errors', async () => {
    const missing = await guest(t.app).get('/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Not Found', code: 'not_found' });
    const wrong = await guest(t.app).delete('/auth/me');
    expect(wrong.statusCode).toBe(405);
    expect(wrong.json()).toEqual({ detail: 'Method Not Allowed', code: 'method_not_allowed' });
    expect(wrong.headers.allow).toBe('GET');
    // A file that is not there is missing, not a wrong method.
    const noFile = await guest(t.app).get('/assets/no-such-file.js');
    expect(noFile.statusCode).toBe(404);
    expect(noFile.json()).toEqual({ detail: 'Not Found', code: 'not_found' });
    expect((await guest(t.app).post('/assets/no-such-file.js')).statusCode).toBe(405);
  });

  it('serves every page route from its built folder, to whoever may see it', async () => {
    const newcomer = await makeUser(t, { complete: false });
    const member = await makeUser(t);
    const admin = await makeUser(t, { role: 'admin' });
    const viewers = { public: undefined, onboarding: newcomer, 'signed-in': member, admin };
    for (const page of PAGES) {
      const viewer = viewers[page.access];
      const response = await (viewer ? as(viewer) : guest(t.app)).get(page.path);
      expect(response.statusCode, page.path).toBe(200);
      expect(response.headers['content-type'], page.path).toMatch(/^text\/html/);
      expect(response.body, page.path).toContain(`/assets/${page.file}-`);
    }
  });

  it('treats a trailing slash like none', async () => {
    const u = await makeUser(t);
    expect((await as(u).get('/api/profile/')).statusCode).toBe(200);
  });

  it('refuses bodies over 64 KiB with 413', async () => {
    const response = await guest(t.app).post('/auth/register', {
      email: 'big@example.com',
      password: 'x'.repeat(70 * 1024),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('payload_too_large');
  });

  it('explains malformed JSON as a 400 error object', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad_request' });
    expect(typeof response.json().detail).toBe('string');
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { 'content-type': 'text/plain' },
      payload: 'email=x',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('unsupported_media_type');
  });

  it('serves /healthz, /readyz, the OpenAPI document and Swagger UI', async () => {
    expect((await guest(t.app).get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await guest(t.app).get('/readyz')).json()).toEqual({
      status: 'ready',
      database: 'ok',
      bus: 'ok',
    });
    const openapi = await guest(t.app).get('/openapi.json');
    const paths = Object.keys(openapi.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/auth/register',
        '/auth/login',
        '/auth/logout',
        '/auth/logout-all',
        '/auth/me',
        '/api/profile',
        '/api/profile/complete',
        '/api/profile/status',
        '/api/profile/password',
        '/api/dashboard',
        '/healthz',
        '/readyz',
      ]),
    );
    const docs = await guest(t.app).get('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
  });

  it('sends a strict CSP with no inline script, and a request id', async () => {
    const response = await guest(t.app).get('/healthz');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends signed-out visits of signed-in pages to the login page with next', async () => {
    for (const path of ['/dashboard', '/settings', '/onboarding', '/admin']) {
      const response = await guest(t.app).get(path);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/?next=${encodeURIComponent(path)}`);
    }
  });

  it('sends a signed-in visit of / on to onboarding, the dashboard, or a safe next', async () => {
    const fresh = await makeUser(t, { complete: false });
    expect((await as(fresh, 'cookie').get('/')).headers.location).toBe('/onboarding');
    expect((await as(fresh, 'cookie').get('/dashboard')).headers.location).toBe('/onboarding');
    const done = await makeUser(t);
    const visit = (url: string) => as(done, 'cookie').get(url);
    expect((await visit('/')).headers.location).toBe('/dashboard');
    expect((await visit('/register')).headers.location).toBe('/dashboard');
    expect((await visit('/?next=%2Fsettings')).headers.location).toBe('/settings');
    // The admin page is checked by the server, not only hidden from the navigation.
    expect((await visit('/admin')).headers.location).toBe('/dashboard');
    for (const evil of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/']) {
      expect((await visit(`/?next=${encodeURIComponent(evil)}`)).headers.location, evil).toBe('/dashboard');
    }
  });
});

describe('CORS', () => {
  it('never allows credentials with *', async () => {
    const t = await createTestApp('sqlite', { env: { CORS_ORIGINS: '*' } });
    try {
      const response = await guest(t.app).get('/healthz', { headers: { origin: 'https://elsewhere.example' } });
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('allows credentials only for listed origins', async () => {
    const t = await createTestApp('sqlite', { env: { CORS_ORIGINS: 'https://app.example.org' } });
    try {
      const listed = await guest(t.app).get('/healthz', { headers: { origin: 'https://app.example.org' } });
      expect(listed.headers['access-control-allow-origin']).toBe('https://app.example.org');
      expect(listed.headers['access-control-allow-credentials']).toBe('true');
      const other = await guest(t.app).get('/healthz', { headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('sends no CORS headers by default (same origin only)', async () => {
    const t = await createTestApp('sqlite');
    try {
      const response = await guest(t.app).get('/healthz', { headers: { origin: 'https://elsewhere.example' } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe.each(testDialects())('readiness on %s', (dialect) => {
  it('says unavailable once the database is gone, and closing twice is harmless', async () => {
    const t = await createTestApp(dialect);
    expect((await guest(t.app).get('/readyz')).statusCode).toBe(200);
    await t.database.close();
    const response = await guest(t.app).get('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable', database: 'unreachable', bus: 'ok' });
    await t.close();
    await t.database.close();
  });
});
