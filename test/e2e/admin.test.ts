import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { expectNoGarbage, pathOf, submitLogin, useSession, waitForText } from './steps.js';

describe.skipIf(!hasChromium)('the admin page', () => {
  const suite = useBrowserSuite();
  let founder: TestUser;
  beforeAll(async () => {
    // The instance's first account is its admin by itself: the people below start as members.
    founder = await registerUser(suite.server.app);
  });

  const makeAdmin = (user: TestUser) =>
    suite.server.database.db.updateTable('users').set({ role: 'admin' }).where('id', '=', user.id).execute();
  const rename = (user: TestUser, display_name: string) => as(user).patch('/api/profile', { display_name });
  const openAs = async (user: TestUser, path: string): Promise<Page> => {
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, user);
    await page.goto(path);
    return page;
  };
  const figure = (page: Page, label: string) =>
    page.getByRole('article', { name: label }).locator('.stat-value').innerText();

  it('is neither listed nor reachable for a member', async () => {
    const member = await registerUser(suite.server.app);
    const page = await openAs(member, '/dashboard');
    await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);

    await page.goto('/admin');
    expect(pathOf(page)).toBe('/dashboard');
  });

  it('lets an admin find someone, make them admin, and disable them: their open page goes to sign in', async () => {
    const admin = await registerUser(suite.server.app);
    await makeAdmin(admin);
    // Ada is the only admin of this place (the founder stepped down).
    await suite.server.database.db.updateTable('users').set({ role: 'user' }).where('id', '=', founder.id).execute();
    await rename(admin, 'Ada Admin');
    const tag = `Tag${Date.now() % 100_000}`;
    const ann = await registerUser(suite.server.app);
    await rename(ann, `Ann ${tag}`);
    await rename(await registerUser(suite.server.app), `Bob ${tag}`);
    const annPage = await openAs(ann, '/dashboard');
    await annPage.getByRole('heading', { level: 1 }).waitFor();

    const page = await openAs(admin, '/dashboard');
    await page.getByRole('navigation').getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await expect.poll(() => figure(page, 'Disabled')).toBe('0');

    await page.getByLabel('Find people').fill(tag.toLowerCase());
    await waitForText(page, /^2 accounts$/);
    await page.getByLabel('Find people').fill(`ann ${tag}`);
    await waitForText(page, /^1 account$/);
    const row = page.getByRole('listitem', { name: `Ann ${tag}` });
    expect(await page.locator('.user-row').count()).toBe(1);
    expect(await row.innerText()).toContain(ann.email);

    await row.getByRole('button', { name: 'Make admin' }).click();
    await waitForText(page, `Ann ${tag} is now an admin.`);
    await row.getByRole('button', { name: 'Remove admin' }).waitFor();
    expect(await row.locator('.badge').allInnerTexts()).toEqual(['Admin']);
    // Ann's open page shows it without a reload.
    await annPage.getByRole('navigation').getByRole('link', { name: 'Admin' }).waitFor();

    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByRole('button', { name: 'Yes, disable' }).click();
    await waitForText(page, `Ann ${tag} is disabled and signed out.`);
    expect(await row.locator('.badge').allInnerTexts()).toEqual(['Admin', 'Disabled']);
    await expect.poll(() => figure(page, 'Disabled')).toBe('1');
    // Ann's open page learns it at once, from its socket.
    await annPage.waitForURL((url) => url.pathname === '/');
    expect(new URL(annPage.url()).searchParams.get('next')).toBe('/dashboard');
    await submitLogin(annPage, ann.email, ann.password);
    await waitForText(annPage, 'Account disabled');

    // A disabled admin runs nothing: the admin here is the last one, and cannot step down.
    await page.getByLabel('Find people').fill('Ada Admin');
    const own = page.getByRole('listitem', { name: 'Ada Admin' });
    await own.waitFor();
    expect(await own.locator('.badge').allInnerTexts()).toEqual(['You', 'Admin']);
    expect(await own.getByRole('button', { name: 'Disable' }).count()).toBe(0);
    await own.getByRole('button', { name: 'Remove admin' }).click();
    await waitForText(page, 'This is the last admin: promote someone else first, or nobody could run the place');
    expect(await own.locator('.badge').allInnerTexts()).toEqual(['You', 'Admin']);

    await page.getByLabel('Find people').fill(`ann ${tag}`);
    await row.getByRole('button', { name: 'Enable' }).click();
    await waitForText(page, `Ann ${tag} can sign in again.`);
    await submitLogin(annPage, ann.email, ann.password);
    await annPage.waitForURL((url) => url.pathname === '/dashboard');
    await expectNoGarbage(page);

    // Ann, an admin again, takes Ada's role away: Ada's admin page, open all along, leaves for the dashboard.
    await annPage.goto('/admin');
    await annPage.getByLabel('Find people').fill('Ada Admin');
    await annPage.getByRole('listitem', { name: 'Ada Admin' }).getByRole('button', { name: 'Remove admin' }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('says when nobody matches, and shows a failed load with Retry', async () => {
    suite.allowProblem(/status of 503/);
    const admin = await registerUser(suite.server.app);
    await makeAdmin(admin);
    const page = await openAs(admin, '/admin');
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByLabel('Find people').fill('nobody-has-this-name');
    await waitForText(page, 'Nobody matches “nobody-has-this-name”.');

    await page.route('**/api/admin/users?*', (route) =>
      route.fulfill({ status: 503, json: { detail: 'The database is not reachable', code: 'service_unavailable' } }),
    );
    await page.getByLabel('Find people').fill('');
    await waitForText(page, 'The database is not reachable');
    await page.unroute('**/api/admin/users?*');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator('.user-row').first().waitFor();
    expect(await page.getByText('The database is not reachable').count()).toBe(0);
  });
});
