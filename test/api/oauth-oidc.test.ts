import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/server/http/session.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { signInVia, TEST_PUBLIC_URL, cookieOf } from '../helpers/oauth-flow.js';
import { startOpenIdServer, type OpenIdServer } from '../helpers/openid-server.js';

const GOOGLE = { clientId: 'google-client', clientSecret: 'google-secret' };

describe.each(testDialects())('OpenID sign-in on %s', (dialect) => {
  let idp: OpenIdServer;
  let t: TestApp;
  beforeAll(async () => {
    idp = await startOpenIdServer([{ ...GOOGLE, redirectUri: `${TEST_PUBLIC_URL}/auth/google/callback` }]);
    t = await createTestApp(dialect, {
      env: {
        PUBLIC_URL: TEST_PUBLIC_URL,
        GOOGLE_CLIENT_ID: GOOGLE.clientId,
        GOOGLE_CLIENT_SECRET: GOOGLE.clientSecret,
        GOOGLE_ISSUER: idp.issuer,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('smoke', async () => {
    idp.signInAs({ sub: 'g-1', email: 'New.Person@example.com', email_verified: true });
    const response = await signInVia(t.app, 'google');
    expect(response.statusCode, response.body).toBe(302);
    expect(response.headers.location).toBe('/onboarding');
    expect(cookieOf(response, SESSION_COOKIE)).toBeDefined();
  });
});
