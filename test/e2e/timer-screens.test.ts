import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { recordRuns } from '../../src/server/timer/timer.repository.js';
import { hasChromium, startBrowserSuite, type BrowserSuite } from '../helpers/browser.js';
import { registerUser } from '../helpers/users.js';
import { useSession } from './steps.js';
import { sameSiteHeaders } from '../helpers/same-site.js';

const OUT = process.env.TIMER_SCREENSHOTS;

/**
 * `TIMER_SCREENSHOTS=/tmp/shots npx vitest run test/e2e/timer-screens.test.ts` saves the clock page
 * and the dashboard with the floating timer at 1280 and 360 px wide, to look at after a change.
 */
describe.skipIf(!hasChromium || !OUT)('screenshots of the focus clock and the floating timer', () => {
  let suite: BrowserSuite;

  beforeAll(async () => {
    suite = await startBrowserSuite();
  });
  afterAll(async () => {
    await suite?.close();
  });

  it('saves the clock page and the floating timer at 1280 and 360 px', async () => {
    const dir = OUT ?? '.';
    const user = await registerUser(suite.server.app, { username: 'ada_codes' });
    const now = Date.now();
    const minute = 60_000;
    const day = new Date(now);
    day.setHours(9, 0, 0, 0);
    const at = (daysAgo: number, minutes: number) => day.getTime() - daysAgo * 86_400_000 + minutes * minute;
    const runs = [
      [1, 0, 50, 'Write the release notes'],
      [1, 60, 25, 'Review the pull request'],
      [0, 0, 25, 'Fix the flaky test'],
      [0, 35, 25, ''],
    ] as const;
    await recordRuns(
      suite.server.services.db,
      user.id,
      runs
        .filter(([daysAgo, start, length]) => at(daysAgo, start + length) < now)
        .map(([daysAgo, start, length, label]) => ({
          startedAt: at(daysAgo, start),
          endedAt: at(daysAgo, start + length),
          label,
        })),
    );

    for (const width of [1280, 360]) {
      const page = await suite.newPage({ width, height: width === 360 ? 740 : 800 });
      await useSession(page, suite.baseUrl, user);
      if (width === 1280) {
        await page.request.post('/api/timer/start', {
          headers: sameSiteHeaders(suite.baseUrl),
          data: { label: 'Ship the focus clock', target_minutes: 25 },
        });
      }
      await page.goto('/clock');
      await page.getByTestId('clock-state').filter({ hasText: 'Focusing' }).waitFor();
      await page
        .getByRole('heading', { name: /^Today/ })
        .first()
        .waitFor();
      await page.evaluate(() => document.fonts.ready);
      await page.waitForTimeout(1_200);
      await page.screenshot({ path: path.join(dir, `clock-${width}.png`), fullPage: true });

      await page.goto('/dashboard');
      await page.getByRole('region', { name: 'Focus timer' }).waitFor();
      await page.getByRole('article', { name: 'Total users' }).waitFor();
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: path.join(dir, `dashboard-${width}.png`) });
    }

    // After an interval: the break on offer (the server's answer arranged).
    const page = await suite.newPage({ width: 1280, height: 800 });
    await useSession(page, suite.baseUrl, user);
    await page.route(
      (url) => url.pathname === '/api/timer',
      (route) =>
        route.request().method() === 'GET'
          ? route.fulfill({
              json: {
                state: 'paused',
                elapsed_ms: 25 * minute,
                run_started_at: null,
                label: 'Ship the focus clock',
                target_ms: 25 * minute,
                ended_by: 'target',
                server_time: new Date().toISOString(),
                version: 99,
              },
            })
          : route.continue(),
    );
    await page.goto('/clock');
    await page.getByRole('button', { name: 'Start 5-min break' }).waitFor();
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: path.join(dir, 'clock-complete-1280.png') });
    await suite.finishTest();
  }, 120_000);
});
