import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/chat.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { composer, messageAction, openChat, row, send, waitForConnection } from './chat-steps.js';
import { useSession, waitForText } from './steps.js';

describe.skipIf(!hasChromium)('moderation in the browser', () => {
  const suite = useBrowserSuite();
  let admin: TestUser;
  beforeAll(async () => {
    // The first account of the instance: its admin.
    admin = await registerUser(suite.server.app, { username: 'the_boss' });
  });

  const chatAs = async (user: TestUser): Promise<Page> => {
    const page = await suite.newPage();
    await openChat(page, suite.baseUrl, user.token);
    await waitForConnection(page, 'Connected');
    return page;
  };
  const notice = (page: Page) => page.getByTestId('posting-notice');

  it('shows a timed-out member why they cannot post, and lets them again once it is lifted', async () => {
    const member = await registerUser(suite.server.app);
    const page = await chatAs(member);
    await as(admin).post(`/api/admin/users/${member.id}/timeout`, { minutes: 60 });
    await expect.poll(() => notice(page).innerText(), { timeout: 15_000 }).toMatch(/An admin timed you out until/);
    await composer(page).fill('let me speak');
    expect(await page.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);

    await as(admin).post(`/api/admin/users/${member.id}/timeout`, { minutes: 0 });
    await expect.poll(() => notice(page).count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(false);
  });

  it('shows slow mode by the composer and counts down after a message', async () => {
    const member = await registerUser(suite.server.app);
    const page = await chatAs(member);
    await as(admin).put('/api/admin/chat/settings', { slow_mode_seconds: 120 });
    await expect.poll(() => notice(page).innerText(), { timeout: 15_000 }).toContain('one message every 120 s');
    await send(page, 'one message, then wait');
    await expect.poll(() => notice(page).innerText(), { timeout: 15_000 }).toMatch(/You can post again in 1\d\d s/);
    expect(await page.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    await as(admin).put('/api/admin/chat/settings', { slow_mode_seconds: 0 });
    await expect.poll(() => notice(page).count(), { timeout: 15_000 }).toBe(0);
  });

  it('reports a message: the admin sees the count live, deletes it, and it leaves every page', async () => {
    const [writer, reader] = await Promise.all([registerUser(suite.server.app), registerUser(suite.server.app)]);
    const posted = await as(writer).post('/api/chat/messages', { content: 'Buy my course now' });
    expect(posted.json<Message>().content).toBe('Buy my course now');

    const adminPage = await suite.newPage();
    await useSession(adminPage, suite.baseUrl, admin);
    await adminPage.goto('/admin');
    await adminPage.getByRole('heading', { name: 'Reports' }).waitFor();
    await waitForText(adminPage, 'No open reports.');

    const page = await chatAs(reader);
    await row(page, 'Buy my course now').waitFor();
    await messageAction(page, 'Buy my course now', 'Report message');
    await page.getByLabel('What is wrong with it?').fill('Advertising');
    await page.getByRole('dialog').getByRole('button', { name: 'Report' }).click();
    await waitForText(page, 'Thank you: the admins will look at it.');

    await expect
      .poll(() => adminPage.getByTestId('open-reports').innerText(), { timeout: 15_000 })
      .toMatch(/^1\s*open report$/);
    const report = adminPage.getByRole('listitem', { name: /Report on a message by/ });
    await expect.poll(() => report.innerText(), { timeout: 15_000 }).toContain('Advertising');
    await report.getByRole('button', { name: 'Delete message' }).click();

    await expect.poll(() => row(page, 'Buy my course now').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => adminPage.getByTestId('open-reports').count(), { timeout: 15_000 }).toBe(0);
    const audit = adminPage.getByRole('region', { name: 'Audit log' });
    await expect.poll(() => audit.innerText(), { timeout: 15_000 }).toContain('resolved the reports on a message of');
  });

  it('lets an admin time a member out from the account list, and filter by it', async () => {
    await registerUser(suite.server.app, { username: 'noisy_one' });
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, admin);
    await page.goto('/admin');
    await page.getByLabel('Find people').fill('noisy_one');
    const account = page.getByRole('listitem', { name: /noisy_one/ });
    await account.getByRole('button', { name: 'Time out' }).click();
    await waitForText(page, /is timed out: they can read but not post\./);
    await page.getByLabel('State').selectOption('timed_out');
    await expect.poll(() => account.innerText(), { timeout: 15_000 }).toContain('Timed out until');
  });
});
