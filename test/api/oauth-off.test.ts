import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { TEST_PUBLIC_URL } from '../helpers/oauth-flow.js';
import { registerUser } from '../helpers/users.js';

describe.each(testDialects())('sign-in providers that are not configured, on %s', (dialect) => {
  let off: TestApp;
  let githubOnly: TestApp;
  beforeAll(async () => {
    off = await createTestApp(dialect);
    githubOnly = await createTestApp(dialect, {
      env: { PUBLIC_URL: TEST_PUBLIC_URL, GITHUB_CLIENT_ID: 'id', GITHUB_CLIENT_SECRET: 'secret' },
    });
  });
  afterAll(async () => {
    await off?.close();
    await githubOnly?.close();
  });

  it('offers no button and answers 404 on every route of a provider that is off', async () => {
    expect((await off.app.inject({ method: 'GET', url: '/auth/providers' })).json()).toEqual({ providers: [] });
    expect((await githubOnly.app.inject({ method: 'GET', url: '/auth/providers' })).json()).toEqual({
      providers: [{ id: 'github', name: 'GitHub' }],
    });
    const member = await registerUser(githubOnly.app);
    for (const url of [
      '/auth/google/login',
      '/auth/google/callback?code=x&state=y',
      '/auth/login/google',
      '/auth/facebook/login',
    ]) {
      const response = await githubOnly.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ code: 'not_found' });
    }
    const link = await githubOnly.app.inject({ method: 'POST', url: '/auth/oidc/link', headers: member.auth });
    expect(link.statusCode).toBe(404);
    expect((await off.app.inject({ method: 'GET', url: '/auth/github/login' })).statusCode).toBe(404);
  });

  it("sends the Python version's /auth/login/{provider} to the same flow", async () => {
    const response = await githubOnly.app.inject({ method: 'GET', url: '/auth/login/github' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/auth/github/login');
  });

  it('counts failed callbacks against the login limit of the address', async () => {
    // RATE_LIMIT_FACTOR 0.02 turns the 50 failed logins a minute per address into 1.
    const limited = await createTestApp(dialect, {
      env: {
        PUBLIC_URL: TEST_PUBLIC_URL,
        GITHUB_CLIENT_ID: 'id',
        GITHUB_CLIENT_SECRET: 'secret',
        RATE_LIMIT_FACTOR: '0.02',
      },
    });
    try {
      const forged = () => limited.app.inject({ method: 'GET', url: '/auth/github/callback?code=x&state=forged' });
      expect((await forged()).headers.location).toBe('/?error=oauth_state');
      expect((await forged()).headers.location).toBe('/?error=rate_limited');
      const login = await limited.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: 'nobody@example.com', password: 'whatever-it-is' },
      });
      expect(login.statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('has no public debug route', async () => {
    expect((await githubOnly.app.inject({ method: 'GET', url: '/auth/debug' })).statusCode).toBe(404);
  });

  it('documents the routes in /openapi.json', async () => {
    const paths = Object.keys(
      (await off.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: object }>().paths,
    );
    for (const path of [
      '/auth/providers',
      '/auth/{provider}/login',
      '/auth/{provider}/callback',
      '/auth/{provider}/link',
      '/auth/link/pending',
      '/auth/link/confirm',
      '/auth/identities',
      '/auth/identities/{provider}',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
