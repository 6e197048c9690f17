import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { cookieHeaders } from '../helpers/same-site.js';
import { registerUser } from '../helpers/users.js';

describe('HTTP hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('uses the cookie when a proxy adds its own Authorization scheme (Basic)', async () => {
    const u = await registerUser(t.app);
    const proxied = { ...cookieHeaders(u.token), authorization: 'Basic cHJveHk6c2VjcmV0' };
    const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: proxied });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: u.email });
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/chat/messages',
      headers: proxied,
      payload: { content: 'through the proxy' },
    });
    expect(sent.statusCode).toBe(201);
    // Without the cookie, another scheme is simply no session.
    const alone = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: 'Basic abc' } });
    expect(alone.statusCode).toBe(401);
    expect(alone.json().code).toBe('not_authenticated');
    // A malformed Bearer header is still refused, not passed over for the cookie.
    const broken = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { ...cookieHeaders(u.token), authorization: 'Bearer' },
    });
    expect(broken.statusCode).toBe(401);
  });
});
