import { afterAll, describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { startGithubServer, type GithubServer } from '../helpers/github-server.js';
import { startOpenIdServer, type OpenIdServer } from '../helpers/openid-server.js';
import { registerUser } from '../helpers/users.js';
import { pathOf, uniqueEmail, useSession, waitForText } from './steps.js';

const OIDC = { clientId: 'community-idp', clientSecret: 'idp-secret' };
const GITHUB = { clientId: 'github-client', clientSecret: 'github-secret' };

describe.skipIf(!hasChromium)('sign-in with providers in the browser', () => {
  let idp: OpenIdServer | undefined;
  let github: GithubServer | undefined;
  const suite = useBrowserSuite({
    async env(baseUrl) {
      idp = await startOpenIdServer([{ ...OIDC, redirectUri: `${baseUrl}/auth/oidc/callback` }]);
      github = await startGithubServer(GITHUB);
      return {
        PUBLIC_URL: baseUrl,
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: OIDC.clientId,
        OIDC_CLIENT_SECRET: OIDC.clientSecret,
        OIDC_NAME: 'Community ID',
        GITHUB_CLIENT_ID: GITHUB.clientId,
        GITHUB_CLIENT_SECRET: GITHUB.clientSecret,
        GITHUB_OAUTH_URL: github.url,
        GITHUB_API_URL: github.url,
      };
    },
  });
  afterAll(async () => {
    await idp?.close();
    await github?.close();
  });

  it('signs a new person in with the local provider from the login page and lands on onboarding', async () => {
    const email = uniqueEmail('idp');
    idp?.signInAs({ sub: `idp-${Date.now()}`, email, email_verified: true });
    const page = await suite.newPage();
    await page.goto('/');
    // Only the providers the server has on get a button.
    await page.getByRole('link', { name: 'Continue with GitHub' }).waitFor();
    expect(await page.getByRole('link', { name: /Continue with Google/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'Continue with Community ID' }).click();
    await page.waitForURL((url) => url.pathname === '/onboarding');
    expect(page.url()).not.toMatch(/token|code=/);
  });

  it('shows a refused sign-in as a readable message on the login page', async () => {
    idp?.signInAs({ sub: `idp-unverified-${Date.now()}`, email: uniqueEmail('idp'), email_verified: false });
    const page = await suite.newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Continue with Community ID' }).click();
    await page.waitForURL((url) => url.searchParams.get('error') === 'email_unverified');
    await waitForText(page, 'The provider did not confirm your email address.');
  });

  it('links GitHub from Settings and unlinks it again while the password remains', async () => {
    const user = await registerUser(suite.server.app);
    github?.signInAs({
      id: Date.now() % 1_000_000,
      login: 'octo',
      emails: [{ email: uniqueEmail('gh'), primary: true, verified: true }],
    });
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, user);
    await page.goto('/settings');
    await page.getByRole('heading', { name: 'Sign-in methods' }).waitFor();
    await page.getByRole('button', { name: 'Link GitHub' }).click();
    await page.waitForURL((url) => url.pathname === '/settings' && url.searchParams.get('linked') === 'github');
    await waitForText(page, 'GitHub is linked.');
    await page.getByRole('button', { name: 'Unlink GitHub' }).waitFor();
    expect(pathOf(page)).toBe('/settings');

    await page.getByRole('button', { name: 'Unlink GitHub' }).click();
    await waitForText(page, 'GitHub is unlinked.');
    await page.getByRole('button', { name: 'Link GitHub' }).waitFor();
  });

  it('asks for the password before linking a provider to an existing account with that email', async () => {
    const owner = await registerUser(suite.server.app);
    idp?.signInAs({ sub: `idp-owner-${Date.now()}`, email: owner.email, email_verified: true });
    const page = await suite.newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Continue with Community ID' }).click();
    await page.waitForURL((url) => url.searchParams.get('link') === 'oidc');
    await page.getByRole('heading', { name: 'Link Community ID' }).waitFor();
    await waitForText(page, owner.email);
    await page.getByLabel('Password of this account', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Link and sign in' }).click();
    await waitForText(page, 'Incorrect password');
    await page.getByLabel('Password of this account', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Link and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');
  });
});
