import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRuns } from '../../src/server/timer/timer.repository.js';
import { hasChromium, startBrowserSuite, type BrowserSuite } from '../helpers/browser.js';
import { openSocket } from '../helpers/socket.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { signIn } from './steps.js';
import { sameSiteHeaders } from '../helpers/same-site.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** `SCREENSHOT=1 npx vitest run test/e2e/screenshot.test.ts` refreshes the README's picture. */
describe.skipIf(!hasChromium || process.env.SCREENSHOT !== '1')('the README screenshot', () => {
  let suite: BrowserSuite;

  beforeAll(async () => {
    suite = await startBrowserSuite();
  });
  afterAll(async () => {
    await suite?.close();
  });

  /** Posts a message, then dates it `daysAgo` days back. */
  const post = async (user: TestUser, content: string, daysAgo = 0) => {
    const response = await fetch(`${suite.baseUrl}/api/chat/messages`, {
      method: 'POST',
      headers: { ...user.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ content }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    if (daysAgo > 0) {
      await suite.server.database.db
        .updateTable('messages')
        .set({ created_at: Date.now() - daysAgo * DAY })
        .where('id', '=', id)
        .execute();
    }
  };

  it('saves the dashboard at 1280x800 to docs/screenshot.png', async () => {
    const others: TestUser[] = [];
    for (let i = 0; i < 11; i += 1) others.push(await registerUser(suite.server.app, { shareFocus: i === 0 }));
    const user = await registerUser(suite.server.app, { username: 'ada_codes' });
    const now = Date.now();
    // A month of focus runs (day, minutes): at noon UTC on past days, just now today.
    const runs = [
      [0, 35],
      [1, 80],
      [2, 55],
      [3, 95],
      [5, 40],
      [6, 120],
      [7, 65],
      [9, 30],
      [10, 75],
      [12, 50],
      [13, 90],
      [16, 45],
      [19, 60],
      [20, 25],
      [23, 70],
      [26, 40],
    ];
    const noonUtc = Math.floor(now / DAY) * DAY + DAY / 2;
    for (const [daysAgo = 0, minutes = 0] of runs) {
      const startedAt = daysAgo === 0 ? now - (minutes + 5) * MIN : noonUtc - daysAgo * DAY;
      await recordRuns(suite.server.database.db, user.id, [
        { startedAt, endedAt: startedAt + minutes * MIN, label: '' },
      ]);
    }
    for (const [daysAgo, count] of [
      [0, 3],
      [1, 2],
      [3, 4],
      [6, 1],
      [8, 2],
      [13, 3],
      [20, 1],
    ] as const) {
      for (let i = 0; i < count; i += 1) await post(user, `Note ${i}`, daysAgo);
    }
    for (const other of others.slice(0, 3)) await post(other, 'Morning, everyone!');
    // Someone else is online and focusing.
    const focused = others[0];
    if (focused === undefined) throw new Error('no other user');
    const socket = await openSocket(suite.baseUrl, { token: focused.token });
    try {
      await fetch(`${suite.baseUrl}/api/timer/start`, {
        method: 'POST',
        headers: { ...focused.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'Refactoring' }),
      });

      const page = await suite.newPage({ width: 1280, height: 800, timezoneId: 'Europe/London' });
      await signIn(page, user.email, user.password);
      await page.request.patch('/api/profile', {
        headers: sameSiteHeaders(suite.baseUrl),
        data: { display_name: 'Ada Lovelace', timezone: 'Europe/London', bio: 'Writing the first program.' },
      });
      await page.reload();
      await page.locator('[data-chart="focus"] .chart-svg').waitFor();
      const online = page.getByRole('article', { name: 'Focusing now' }).locator('.stat-value');
      await expect.poll(() => online.innerText()).toBe('1');
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: SCREENSHOT });
    } finally {
      await socket.close();
    }
    await suite.finishTest();
  });
});
