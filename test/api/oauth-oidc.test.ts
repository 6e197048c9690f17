import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeUser } from '../../src/server/admin/account.commands.js';
import { SESSION_COOKIE } from '../../src/server/http/session.js';
import { createFlowSigner, FLOW_COOKIE, PENDING_COOKIE, type FlowState } from '../../src/server/oauth/flow-cookie.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { callback, cookieOf, signInVia, startSignIn, TEST_PUBLIC_URL, visitProvider } from '../helpers/oauth-flow.js';
import { startOpenIdServer, type OpenIdAccount, type OpenIdServer } from '../helpers/openid-server.js';
import { makeUser } from '../helpers/users.js';

const GOOGLE = { clientId: 'google-client', clientSecret: 'google-secret' };
const KEYCLOAK = { clientId: 'keycloak-client', clientSecret: 'keycloak-secret' };
let people = 0;

/** A person of the provider no other test uses. */
function person(overrides: Partial<OpenIdAccount> = {}): OpenIdAccount {
  people += 1;
  return {
    sub: `sub-${people}-${Date.now()}`,
    email: `person${people}-${Date.now()}@example.com`,
    email_verified: true,
    ...overrides,
  };
}

describe.each(testDialects())('OpenID sign-in on %s', (dialect) => {
  let idp: OpenIdServer;
  let t: TestApp;
  beforeAll(async () => {
    idp = await startOpenIdServer([
      { ...GOOGLE, redirectUri: `${TEST_PUBLIC_URL}/auth/google/callback` },
      { ...KEYCLOAK, redirectUri: `${TEST_PUBLIC_URL}/auth/oidc/callback` },
    ]);
    t = await createTestApp(dialect, {
      env: {
        PUBLIC_URL: TEST_PUBLIC_URL,
        GOOGLE_CLIENT_ID: GOOGLE.clientId,
        GOOGLE_CLIENT_SECRET: GOOGLE.clientSecret,
        GOOGLE_ISSUER: idp.issuer,
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: KEYCLOAK.clientId,
        OIDC_CLIENT_SECRET: KEYCLOAK.clientSecret,
        OIDC_NAME: 'Keycloak',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  const me = (cookie: string | undefined) =>
    guest(t.app).get<{ id: number }>('/auth/me', cookie ? { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } } : {});

  /** Start, provider, then a callback whose flow cookie was changed as `tamper` says (signed with the app's key). */
  async function signInWithTamperedFlow(tamper: (flow: FlowState) => FlowState) {
    const signer = createFlowSigner(t.config.secretKey, () => Date.now());
    const flow = await startSignIn(t.app, 'google');
    const original = await signer.readFlow(flow.flowCookie);
    if (original === undefined) throw new Error('the app set no readable flow cookie');
    const back = await visitProvider(flow.authorizeUrl);
    return callback(t.app, back, { [FLOW_COOKIE]: await signer.signFlow(tamper(original)) });
  }

  it('lists both providers for the buttons', async () => {
    const response = await guest(t.app).get('/auth/providers');
    expect(response.json()).toEqual({
      providers: [
        { id: 'google', name: 'Google' },
        { id: 'oidc', name: 'Keycloak' },
      ],
    });
  });

  it('sends the browser to the provider with PKCE, state and nonce, none of them a token, in a signed HttpOnly cookie', async () => {
    const response = await guest(t.app).get('/auth/google/login');
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(location.origin).toBe(idp.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('redirect_uri')).toBe(`${TEST_PUBLIC_URL}/auth/google/callback`);
    for (const name of ['state', 'nonce', 'code_challenge']) expect(location.searchParams.get(name)).toBeTruthy();
    expect(location.searchParams.get('scope')).toBe('openid email profile');
    const cookie = response.cookies.find((c) => c.name === FLOW_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/auth', maxAge: 600 });
  });

  it('creates an account for a new person and sends them to onboarding, signed in by cookie', async () => {
    const newcomer = person({ email: 'Ada.Lovelace@Example.com' });
    idp.signInAs(newcomer);
    const response = await signInVia(t.app, 'google');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/onboarding');
    expect(response.headers.location).not.toMatch(/token/);
    const session = cookieOf(response, SESSION_COOKIE);
    const profile = await me(session);
    expect(profile.json()).toMatchObject({
      email: 'ada.lovelace@example.com',
      username: 'adalovelace',
      profile_complete: false,
      has_password: false,
    });
    // The flow cookie is spent.
    expect(response.cookies.find((c) => c.name === FLOW_COOKIE)?.value).toBe('');
  });

  it('signs a returning person into the same account, to where they were going once onboarded', async () => {
    const returning = person();
    idp.signInAs(returning);
    const first = await signInVia(t.app, 'oidc');
    const session = cookieOf(first, SESSION_COOKIE) ?? '';
    const id = (await me(session)).json().id;
    await guest(t.app).post(
      '/api/profile/complete',
      { username: `back_${people}` },
      { headers: { cookie: `${SESSION_COOKIE}=${session}`, origin: TEST_PUBLIC_URL } },
    );

    const flow = await startSignIn(t.app, 'oidc', '?next=%2Fchat');
    const again = await callback(t.app, await visitProvider(flow.authorizeUrl), { [FLOW_COOKIE]: flow.flowCookie });
    expect(again.headers.location).toBe('/chat');
    expect((await me(cookieOf(again, SESSION_COOKIE))).json().id).toBe(id);
  });

  it('refuses an email the provider did not verify', async () => {
    idp.signInAs(person({ email_verified: false }));
    const response = await signInVia(t.app, 'google');
    expect(response.headers.location).toBe('/?error=email_unverified');
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('does not sign into an existing account on its email alone; links it after its password', async () => {
    const owner = await makeUser(t);
    const lookalike = person({ email: owner.email });
    idp.signInAs(lookalike);
    const response = await signInVia(t.app, 'google');
    expect(response.headers.location).toBe('/?link=google');
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
    const pending = cookieOf(response, PENDING_COOKIE) ?? '';

    const shown = await guest(t.app).get('/auth/link/pending', { headers: { cookie: `${PENDING_COOKIE}=${pending}` } });
    expect(shown.json()).toEqual({ provider: 'google', provider_name: 'Google', email: owner.email });

    const confirm = (password: string) =>
      guest(t.app).post(
        '/auth/link/confirm',
        { password },
        { headers: { cookie: `${PENDING_COOKIE}=${pending}`, origin: TEST_PUBLIC_URL } },
      );
    const wrong = await confirm('not the password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ detail: 'Incorrect password' });
    // Still not linked: the provider alone does not get in.
    expect((await signInVia(t.app, 'google')).headers.location).toBe('/?link=google');

    const right = await confirm(owner.password);
    expect(right.statusCode).toBe(200);
    expect((await me(cookieOf(right, SESSION_COOKIE))).json().id).toBe(owner.id);

    const later = await signInVia(t.app, 'google');
    expect(later.headers.location).toBe('/dashboard');
    expect((await me(cookieOf(later, SESSION_COOKIE))).json().id).toBe(owner.id);
  });

  it('refuses a callback whose state is not the one this browser was given', async () => {
    idp.signInAs(person());
    const mine = await startSignIn(t.app, 'google');
    const theirs = await startSignIn(t.app, 'google');
    const back = await visitProvider(theirs.authorizeUrl);
    const response = await callback(t.app, back, { [FLOW_COOKIE]: mine.flowCookie });
    expect(response.headers.location).toBe('/?error=oauth_state');
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
    // And no flow cookie at all (a callback link opened in another browser).
    const bare = await callback(t.app, await visitProvider((await startSignIn(t.app, 'google')).authorizeUrl), {});
    expect(bare.headers.location).toBe('/?error=oauth_state');
  });

  it('refuses an ID token whose nonce is not this flow’s', async () => {
    idp.signInAs(person());
    const response = await signInWithTamperedFlow((flow) => ({ ...flow, nonce: 'another-nonce' }));
    expect(response.headers.location).toBe('/?error=oauth_failed');
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a code redeemed with another PKCE verifier (the provider says no)', async () => {
    idp.signInAs(person());
    const response = await signInWithTamperedFlow((flow) => ({ ...flow, codeVerifier: 'x'.repeat(43) }));
    expect(response.headers.location).toBe('/?error=oauth_failed');
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('says so when the person refuses at the provider', async () => {
    idp.signInAs('deny');
    const response = await signInVia(t.app, 'google');
    expect(response.headers.location).toBe('/?error=oauth_denied');
  });

  it('refuses a disabled account like the login does', async () => {
    const member = person();
    idp.signInAs(member);
    const first = await signInVia(t.app, 'google');
    const id = (await me(cookieOf(first, SESSION_COOKIE))).json().id;
    await changeUser(t.services, { kind: 'cli' }, id, { disabled: true });
    const response = await signInVia(t.app, 'google');
    expect(response.headers.location).toBe('/?error=account_disabled');
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('links an account imported from the Python version (Google, no password) on its first sign-in', async () => {
    const imported = person();
    const now = Date.now();
    await t.database.db
      .insertInto('users')
      .values({
        email: imported.email,
        password_hash: null,
        legacy_provider: 'google',
        username: `py_${people}`,
        created_at: now,
        updated_at: now,
        profile_complete: 1,
      })
      .execute();
    idp.signInAs(imported);
    const response = await signInVia(t.app, 'google');
    expect(response.headers.location).toBe('/dashboard');
    expect((await me(cookieOf(response, SESSION_COOKIE))).json()).toMatchObject({ email: imported.email });
    // Only with its own provider: the same email through Keycloak still needs proof.
    idp.signInAs({ ...imported, sub: `${imported.sub}-keycloak` });
    expect((await signInVia(t.app, 'oidc')).headers.location).toBe('/?link=oidc');
  });

  it('unlinks one of two providers of an account with no password, then refuses the last one', async () => {
    const member = person();
    idp.signInAs(member);
    const session = cookieOf(await signInVia(t.app, 'google'), SESSION_COOKIE) ?? '';
    const asMember = { headers: { cookie: `${SESSION_COOKIE}=${session}`, origin: TEST_PUBLIC_URL } };
    const start = await guest(t.app).post<{ redirect_to: string }>('/auth/oidc/link', undefined, asMember);
    const back = await visitProvider(start.json().redirect_to);
    const linked = await callback(t.app, back, {
      [SESSION_COOKIE]: session,
      [FLOW_COOKIE]: cookieOf(start, FLOW_COOKIE) ?? '',
    });
    expect(linked.headers.location).toBe('/settings?linked=oidc');

    const unlink = (provider: string) => guest(t.app).delete(`/auth/identities/${provider}`, asMember);
    expect((await unlink('google')).statusCode).toBe(204);
    expect((await unlink('oidc')).statusCode).toBe(409);
    const left = await guest(t.app).get<{ identities: unknown[] }>('/auth/identities', asMember);
    expect(left.json().identities).toHaveLength(1);
  });
});
