import { request, type Page, type WebSocket } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { registerUser } from '../helpers/users.js';
import { pathOf, signIn, submitLogin, useSession, waitForText } from './steps.js';

/** The JSON bodies of the PATCH /api/profile requests the page sends. */
function recordProfilePatches(page: Page): unknown[] {
  const bodies: unknown[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PATCH' && new URL(request.url()).pathname === '/api/profile') {
      bodies.push(request.postDataJSON());
    }
  });
  return bodies;
}

async function openSettings(page: Page): Promise<void> {
  await page.goto('/settings');
  await page.getByLabel('Bio').waitFor();
}

describe.skipIf(!hasChromium)('settings in the browser', () => {
  const suite = useBrowserSuite();

  it('changes the display name: shown in the shell at once and after a reload', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    const patches = recordProfilePatches(page);
    await useSession(page, suite.baseUrl, user);
    await openSettings(page);

    await page.getByLabel('Display name').fill('Grace Hopper');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page, 'Profile saved.');
    // Only what changed is sent.
    expect(patches).toEqual([{ display_name: 'Grace Hopper' }]);
    expect(await page.getByTestId('current-user').innerText()).toContain('Grace Hopper');

    await page.reload();
    await page.getByLabel('Bio').waitFor();
    expect(await page.getByLabel('Display name').inputValue()).toBe('Grace Hopper');
    expect(await page.getByTestId('current-user').innerText()).toContain('Grace Hopper');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: /Grace Hopper/ }).waitFor();
  });

  it('clears an emptied optional field and says so when nothing changed', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    const patches = recordProfilePatches(page);
    await useSession(page, suite.baseUrl, user);
    await openSettings(page);

    await page.getByLabel('Bio').fill('Compilers and coffee.');
    await page.getByLabel('Age').fill('30');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page, 'Profile saved.');

    await page.getByLabel('Bio').fill('');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page, 'Profile saved.');
    expect(patches).toEqual([{ bio: 'Compilers and coffee.', age: 30 }, { bio: null }]);

    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page, 'Nothing to save');
    expect(patches).toHaveLength(2);

    await page.reload();
    await page.getByLabel('Bio').waitFor();
    expect(await page.getByLabel('Bio').inputValue()).toBe('');
    expect(await page.getByLabel('Age').inputValue()).toBe('30');
  });

  it('shows a bad avatar URL readably', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, user);
    await openSettings(page);

    await page.getByLabel('Avatar URL').fill('not a link');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page, 'Avatar URL: Must be an http(s) URL of at most 2048 characters');
  });

  it('changes the password: the old one stops working, the new one signs in', async () => {
    const user = await registerUser(suite.server.app);
    const newPassword = 'a brand new passphrase';
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, user);
    await openSettings(page);

    await page.getByLabel('Current password', { exact: true }).fill(user.password);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirm new password', { exact: true }).fill('a different one');
    await page.getByRole('button', { name: 'Change password' }).click();
    await waitForText(page, 'The new passwords do not match');

    await page.getByLabel('Current password', { exact: true }).fill('wrong current password');
    await page.getByLabel('Confirm new password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await waitForText(page, 'Current password is incorrect');

    await page.getByLabel('Current password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await waitForText(page, 'Password changed');
    expect(await page.getByLabel('New password', { exact: true }).inputValue()).toBe('');

    // This session was renewed: the page still works.
    await page.reload();
    await page.getByLabel('Bio').waitFor();

    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await submitLogin(page, user.email, user.password);
    await waitForText(page, 'Incorrect email or password');
    expect(pathOf(page)).toBe('/');

    await submitLogin(page, user.email, newPassword);
    await page.waitForURL((url) => url.pathname === '/dashboard');
  });

  it('stays signed in when its socket and a call are refused before the password change answers', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, user);
    const sockets: WebSocket[] = [];
    page.on('websocket', (socket) => sockets.push(socket));
    await openSettings(page);
    await expect.poll(() => sockets.length).toBe(1);
    const closed = new Promise<void>((resolve) => sockets[0]!.on('close', () => resolve()));
    // The server closes the old session's socket at once; hold the answer (and its renewed cookie)
    // until the page has seen that close, and a little longer.
    // route.fetch() would store the cookie in the page's jar at once, so the call is made from a
    // separate client that keeps no cookies.
    const client = await request.newContext();
    await page.route('**/api/profile/password', async (route) => {
      const sent = route.request();
      const response = await client.fetch(sent.url(), {
        method: sent.method(),
        headers: await sent.allHeaders(),
        data: sent.postDataBuffer() ?? undefined,
      });
      await closed;
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await route.fulfill({ response });
    });

    await page.getByLabel('Current password', { exact: true }).fill(user.password);
    await page.getByLabel('New password', { exact: true }).fill('another fine passphrase');
    await page.getByLabel('Confirm new password', { exact: true }).fill('another fine passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    // While the answer is held, a call with the old cookie is refused (401): it must be sent again
    // once the renewed cookie is here, not taken for the end of the session.
    await closed;
    await page.getByLabel('Bio').fill('Saved while the password changed');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page, 'Password changed');
    await waitForText(page, 'Profile saved.');
    expect(pathOf(page)).toBe('/settings');
    const stored = await suite.server.database.db
      .selectFrom('users')
      .select('bio')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(stored.bio).toBe('Saved while the password changed');
    // And the live socket comes back with the renewed session.
    await expect.poll(() => sockets.length, { timeout: 20_000 }).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(pathOf(page)).toBe('/settings');
    await client.dispose();
  });

  it('logs out everywhere: this browser and another one', async () => {
    const user = await registerUser(suite.server.app);
    const other = await suite.newPage();
    await signIn(other, user.email, user.password);
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, user);
    await openSettings(page);

    // The logout also closes this page's socket, whose own check finds the session over a second
    // later. With the way to the sign-in page slow, that must not become a second departure.
    const departures: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest()) departures.push(request.url());
    });
    await page.route(
      (url) => url.pathname === '/',
      async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        await route.continue();
      },
    );
    await page.getByRole('button', { name: 'Log out everywhere' }).click();
    await page.getByRole('button', { name: 'Yes, log out everywhere' }).click();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    expect(departures).toEqual([`${suite.baseUrl}/`]);

    await other.reload();
    expect(pathOf(other)).toBe('/');
    await other.getByRole('heading', { name: 'Welcome back' }).waitFor();
  });
});
