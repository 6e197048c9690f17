import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { guest } from '../helpers/client.js';
import { resetLinkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { registerUser } from '../helpers/users.js';
import { expectNoGarbage, pathOf } from './steps.js';

describe.skipIf(!hasChromium)('password recovery in the browser', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  const suite = useBrowserSuite({ env: () => ({ SMTP_URL: smtp.url, MAIL_FROM: 'noreply@example.org' }) });
  afterAll(() => smtp.close());

  it('walks Forgot password? → mail → new password → dashboard', async () => {
    const user = await registerUser(suite.server.app, { password: 'the forgotten one' });
    const page = await suite.newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL((url) => url.pathname === '/forgot');
    await expectNoGarbage(page);
    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('a link to choose a new password is on its way').waitFor();

    await expect.poll(() => smtp.mailsTo(user.email).length, { timeout: 15_000 }).toBe(1);
    const link = resetLinkIn(smtp.mailsTo(user.email)[0]!);
    // The mail links to this server (no PUBLIC_URL in the test): open the same path and token here.
    await page.goto(link.slice(link.indexOf('/reset')));
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Must be at least 8 characters').first().waitFor();
    await expectNoGarbage(page);

    await page.getByLabel('New password', { exact: true }).fill('remembered at last');
    await page.getByLabel('Confirm new password', { exact: true }).fill('remembered at last');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');
    expect(pathOf(page)).toBe('/dashboard');

    const login = await guest(suite.server.app).post('/auth/login', {
      email: user.email,
      password: 'remembered at last',
    });
    expect(login.statusCode).toBe(200);
  });
});
