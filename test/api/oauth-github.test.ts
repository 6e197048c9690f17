import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/server/http/session.js';
import { createFlowSigner, FLOW_COOKIE } from '../../src/server/oauth/flow-cookie.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { startGithubServer, type GithubAccount, type GithubServer } from '../helpers/github-server.js';
import { callback, cookieOf, signInVia, startSignIn, TEST_PUBLIC_URL, visitProvider } from '../helpers/oauth-flow.js';
import { makeUser } from '../helpers/users.js';

const CLIENT = { clientId: 'github-client', clientSecret: 'github-secret' };
let people = 0;

function githubPerson(verified = true): GithubAccount {
  people += 1;
  const email = `octo${people}-${Date.now()}@example.com`;
  return { id: 1000 + people, login: `octo${people}`, emails: [{ email, primary: true, verified }] };
}

describe.each(testDialects())('GitHub sign-in on %s', (dialect) => {
  let github: GithubServer;
  let t: TestApp;
  beforeAll(async () => {
    github = await startGithubServer(CLIENT);
    t = await createTestApp(dialect, {
      env: {
        PUBLIC_URL: TEST_PUBLIC_URL,
        GITHUB_CLIENT_ID: CLIENT.clientId,
        GITHUB_CLIENT_SECRET: CLIENT.clientSecret,
        GITHUB_OAUTH_URL: github.url,
        GITHUB_API_URL: github.url,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await github?.close();
  });

  // The page's call riding `session`, from PUBLIC_URL's origin (the client's cookie mode is for localhost).
  const withSession = (session: string | undefined) => ({
    headers: { cookie: `${SESSION_COOKIE}=${session ?? ''}`, origin: TEST_PUBLIC_URL },
  });
  const identities = (session: string | undefined) => guest(t.app).get('/auth/identities', withSession(session));
  const unlink = (session: string | undefined, provider: string) =>
    guest(t.app).delete(`/auth/identities/${provider}`, withSession(session));

  /** Asks to link GitHub as the signed-in `session`, goes through GitHub, and returns the callback's answer. */
  async function linkGithub(session: string) {
    const start = await guest(t.app).post<{ redirect_to: string }>(
      '/auth/github/link',
      undefined,
      withSession(session),
    );
    expect(start.statusCode).toBe(200);
    const back = await visitProvider(start.json().redirect_to);
    return callback(t.app, back, { [SESSION_COOKIE]: session, [FLOW_COOKIE]: cookieOf(start, FLOW_COOKIE) ?? '' });
  }

  it('creates an account from the primary verified address and sends the newcomer to onboarding', async () => {
    const octo = githubPerson();
    github.signInAs(octo);
    const response = await signInVia(t.app, 'github');
    expect(response.headers.location).toBe('/onboarding');
    const me = await guest(t.app).get<{ id: number }>('/auth/me', withSession(cookieOf(response, SESSION_COOKIE)));
    expect(me.json()).toMatchObject({ email: octo.emails[0]?.email, has_password: false, profile_complete: false });
    // Returning: the same account, found by GitHub's id (not the email).
    const again = await signInVia(t.app, 'github');
    const meAgain = await guest(t.app).get<{ id: number }>('/auth/me', withSession(cookieOf(again, SESSION_COOKIE)));
    expect(meAgain.json().id).toBe(me.json().id);
  });

  it('refuses an unverified primary address even when the public profile shows it', async () => {
    github.signInAs(githubPerson(false));
    const response = await signInVia(t.app, 'github');
    expect(response.headers.location).toBe('/?error=email_unverified');
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('does not take over an existing account whose email GitHub reports', async () => {
    const owner = await makeUser(t);
    github.signInAs({ ...githubPerson(), emails: [{ email: owner.email, primary: true, verified: true }] });
    const response = await signInVia(t.app, 'github');
    expect(response.headers.location).toBe('/?link=github');
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a code redeemed with another PKCE verifier, and a missing state', async () => {
    github.signInAs(githubPerson());
    const signer = createFlowSigner(t.config.secretKey, () => Date.now());
    const flow = await startSignIn(t.app, 'github');
    const original = await signer.readFlow(flow.flowCookie);
    const back = await visitProvider(flow.authorizeUrl);
    const forged = await signer.signFlow({ ...original!, codeVerifier: 'y'.repeat(43) });
    const response = await callback(t.app, back, { [FLOW_COOKIE]: forged });
    expect(response.headers.location).toBe('/?error=oauth_failed');

    back.searchParams.delete('state');
    const stateless = await callback(t.app, back, { [FLOW_COOKIE]: flow.flowCookie });
    expect(stateless.headers.location).toBe('/?error=oauth_state');
  });

  it('says the provider is down when GitHub cannot be reached', async () => {
    const down = await createTestApp(dialect, {
      env: {
        PUBLIC_URL: TEST_PUBLIC_URL,
        GITHUB_CLIENT_ID: CLIENT.clientId,
        GITHUB_CLIENT_SECRET: CLIENT.clientSecret,
        GITHUB_OAUTH_URL: github.url,
        // Nothing listens on port 9 of this machine.
        GITHUB_API_URL: 'http://127.0.0.1:9',
      },
    });
    try {
      github.signInAs(githubPerson());
      const response = await signInVia(down.app, 'github');
      expect(response.headers.location).toBe('/?error=oauth_unavailable');
    } finally {
      await down.close();
    }
  });

  it('links GitHub from Settings, lists it, and unlinks it while a password remains', async () => {
    const member = await makeUser(t);
    const octo = githubPerson();
    github.signInAs(octo);
    const linked = await linkGithub(member.token);
    expect(linked.headers.location).toBe('/settings?linked=github');
    const listed = await identities(member.token);
    expect(listed.json()).toMatchObject({
      has_password: true,
      identities: [{ provider: 'github', provider_name: 'GitHub' }],
    });

    // Now GitHub signs into this account directly.
    const viaGithub = await signInVia(t.app, 'github');
    expect(viaGithub.headers.location).toBe('/dashboard');

    expect((await unlink(member.token, 'github')).statusCode).toBe(204);
    expect((await identities(member.token)).json()).toMatchObject({ identities: [] });
    expect((await unlink(member.token, 'github')).statusCode).toBe(404);
  });

  it('refuses to link an identity that belongs to another account, or a second GitHub identity', async () => {
    const octo = githubPerson();
    github.signInAs(octo);
    await signInVia(t.app, 'github');
    const other = await makeUser(t);
    expect((await linkGithub(other.token)).headers.location).toBe('/settings?error=identity_taken');

    github.signInAs(githubPerson());
    expect((await linkGithub(other.token)).headers.location).toBe('/settings?linked=github');
    github.signInAs(githubPerson());
    expect((await linkGithub(other.token)).headers.location).toBe('/settings?error=provider_linked');
  });

  it('refuses a link callback finished by someone other than who asked', async () => {
    const asker = await makeUser(t);
    const intruder = await makeUser(t);
    github.signInAs(githubPerson());
    const start = await guest(t.app).post<{ redirect_to: string }>(
      '/auth/github/link',
      undefined,
      withSession(asker.token),
    );
    const back = await visitProvider(start.json().redirect_to);
    const response = await callback(t.app, back, {
      [SESSION_COOKIE]: intruder.token,
      [FLOW_COOKIE]: cookieOf(start, FLOW_COOKIE) ?? '',
    });
    expect(response.headers.location).toBe('/settings?error=oauth_state');
    expect((await identities(intruder.token)).json()).toMatchObject({ identities: [] });
  });

  it('never unlinks the last way in: no password and no other provider', async () => {
    github.signInAs(githubPerson());
    const response = await signInVia(t.app, 'github');
    const session = cookieOf(response, SESSION_COOKIE);
    const refused = await unlink(session, 'github');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'last_sign_in_method',
      detail: expect.stringMatching(/only way into your account/),
    });
    expect((await identities(session)).json()).toMatchObject({
      has_password: false,
      identities: [{ provider: 'github' }],
    });
  });
});
