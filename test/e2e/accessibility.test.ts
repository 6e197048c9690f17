import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityViolations } from '../helpers/accessibility.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { useSession, waitForText } from './steps.js';

/**
 * axe-core over every page, in the state a person first sees it, at a desktop and a phone width:
 * WCAG 2.2 AA promises that a test can check. A new page is added here.
 */
describe.skipIf(!hasChromium)('accessibility of every page (axe-core, WCAG 2.2 AA)', () => {
  const suite = useBrowserSuite();

  async function open(path: string, user: TestUser | null, width: number): Promise<Page> {
    const page = await suite.newPage({ width, height: 800 });
    if (user) await useSession(page, suite.baseUrl, user);
    await page.goto(path);
    await page.locator('main').first().waitFor();
    return page;
  }

  it('would see a violation: an input without a label on the sign-in page', async () => {
    const page = await open('/', null, 1280);
    await page.evaluate(() => document.querySelector('main')?.append(document.createElement('input')));
    expect((await accessibilityViolations(page)).join('\n')).toMatch(/^label:/m);
  });

  const signedOut = ['/', '/register', '/forgot', '/reset#token=an-example-token'];
  const signedIn = ['/dashboard', '/chat', '/clock', '/settings', '/admin'];

  for (const width of [1280, 360]) {
    it(`finds no violation on the signed-out pages at ${width} px`, async () => {
      for (const path of signedOut) {
        const page = await open(path, null, width);
        await page.getByRole('button').first().waitFor();
        expect(await accessibilityViolations(page), path).toEqual([]);
      }
    });

    it(`finds no violation on onboarding and the signed-in pages at ${width} px`, async () => {
      const newcomer = await registerUser(suite.server.app, { complete: false });
      const onboarding = await open('/onboarding', newcomer, width);
      await onboarding.getByLabel('Username').waitFor();
      expect(await accessibilityViolations(onboarding), '/onboarding').toEqual([]);

      const admin = await registerUser(suite.server.app);
      await suite.server.database.db.updateTable('users').set({ role: 'admin' }).where('id', '=', admin.id).execute();
      // Something to show: a message in the chat and a finished run in the clock's history.
      await as(admin).post('/api/chat/messages', {
        content: 'Hello **everyone**, `code` and a [link](https://example.com)',
      });
      // A run on the leaderboard, a goal on the clock page, and a running timer announced in the chat.
      await as(admin).patch('/api/profile', { leaderboard: true });
      await as(admin).post('/api/timer/start', { label: 'Warm-up' });
      await as(admin).post('/api/timer/pause');
      await as(admin).post('/api/tasks', { title: 'Review the pull request' });
      await as(admin).post('/api/timer/start', { label: 'Reading', announce: true });
      for (const path of signedIn) {
        const page = await open(path, admin, width);
        if (path === '/chat') await waitForText(page, 'everyone');
        await page.waitForLoadState('networkidle');
        expect(await accessibilityViolations(page), path).toEqual([]);
        await page.close();
      }
    });
  }
});
