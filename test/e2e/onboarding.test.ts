import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { registerUser } from '../helpers/users.js';
import { expectNoGarbage, pathOf, uniqueEmail, uniqueUsername, visibleText, waitForText } from './steps.js';

describe.skipIf(!hasChromium)('registration and onboarding in the browser', () => {
  const suite = useBrowserSuite();

  it('registers, completes onboarding and shows the dashboard with the community figures', async () => {
    // Others joined before, so the figures are more than this one user.
    await registerUser(suite.server.app);
    await registerUser(suite.server.app);
    const page = await suite.newPage({ timezoneId: 'Asia/Kathmandu' });
    const username = uniqueUsername('ada');

    await page.goto('/register');
    await page.getByLabel('Email').fill(uniqueEmail('ada'));
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL((url) => url.pathname === '/onboarding');
    // The time zone is preselected from the browser's own.
    await page.getByLabel('Username').waitFor();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Kathmandu');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Display name').fill('Ada Lovelace');
    await page.getByLabel('Age').fill('36');
    await page.getByLabel('Bio').fill('Writing the first program.');
    // Focus sharing is asked, and off until the person turns it on.
    const share = page.getByRole('switch', { name: 'Share my focus status' });
    expect(await share.isChecked()).toBe(false);
    await share.check();
    await page.getByRole('button', { name: 'Continue to dashboard' }).click();

    await page.waitForURL((url) => url.pathname === '/dashboard');
    await page.getByRole('heading', { level: 1, name: /Ada Lovelace/ }).waitFor();
    const shell = page.getByTestId('current-user');
    expect(await shell.innerText()).toContain('Ada Lovelace');
    expect(await shell.innerText()).toContain('Member');
    const profile = (await (await page.request.get('/api/profile')).json()) as {
      share_focus: boolean;
      timezone: string;
    };
    expect(profile).toMatchObject({ share_focus: true, timezone: 'Asia/Kathmandu' });

    const answer = await page.request.get('/api/dashboard');
    const { user_stats: stats, last_updated: lastUpdated } = (await answer.json()) as {
      user_stats: { total_users: number; active_users: number; new_users_today: number };
      last_updated: string;
    };
    expect(stats.total_users).toBe(3);
    const cards: [string, number][] = [
      ['Total users', stats.total_users],
      ['Active in last 24 h', stats.active_users],
      ['New today', stats.new_users_today],
    ];
    for (const [label, value] of cards) {
      const card = page.getByRole('article', { name: label });
      await expect.poll(() => card.locator('.stat-value').innerText()).toBe(String(value));
    }

    // "Updated hh:mm" in the viewer's time zone (Kathmandu is UTC+5:45, so a wrong zone shows).
    const time = page.locator('.updated time');
    const shown = new Date((await time.getAttribute('datetime')) ?? '');
    expect(Math.abs(shown.getTime() - new Date(lastUpdated).getTime())).toBeLessThan(120_000);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Kathmandu',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(shown);
    expect(await page.locator('.updated').innerText()).toBe(`Updated ${local}`);
    await expectNoGarbage(page);
  });

  it('says "Username already taken" at onboarding when someone has the name', async () => {
    const taken = uniqueUsername('taken');
    await registerUser(suite.server.app, { username: taken });
    const page = await suite.newPage();

    await page.goto('/register');
    await page.getByLabel('Email').fill(uniqueEmail('second'));
    await page.getByLabel('Password', { exact: true }).fill('another good password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/onboarding');

    await page.getByLabel('Username').fill(taken.toUpperCase());
    await page.getByRole('button', { name: 'Continue to dashboard' }).click();

    await waitForText(page, 'Username already taken');
    expect(pathOf(page)).toBe('/onboarding');
    expect(await page.getByLabel('Username').getAttribute('aria-invalid')).toBe('true');
    // The button is usable again for a second try.
    expect(await page.getByRole('button', { name: 'Continue to dashboard' }).isEnabled()).toBe(true);
  });

  it('shows a too short password at registration as a readable sentence', async () => {
    const page = await suite.newPage();
    await page.goto('/register');
    await page.getByLabel('Email').fill(uniqueEmail('short'));
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();

    await waitForText(page, 'Password: Must be at least 8 characters');
    expect(pathOf(page)).toBe('/register');
    expect(await visibleText(page)).not.toContain('[object Object]');
    await expectNoGarbage(page);
  });

  it('shows an email that is already registered', async () => {
    const existing = await registerUser(suite.server.app);
    const page = await suite.newPage();
    await page.goto('/register');
    await page.getByLabel('Email').fill(existing.email);
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await waitForText(page, 'Email already registered');
    expect(pathOf(page)).toBe('/register');
  });
});
