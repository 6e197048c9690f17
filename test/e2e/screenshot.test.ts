import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { hasChromium, startBrowserSuite, type BrowserSuite } from '../helpers/browser.js';
import { registerUser } from '../helpers/users.js';
import { signIn } from './steps.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));

/** `SCREENSHOT=1 npx vitest run test/e2e/screenshot.test.ts` refreshes the README's picture. */
describe.skipIf(!hasChromium || process.env.SCREENSHOT !== '1')('the README screenshot', () => {
  let suite: BrowserSuite;

  beforeAll(async () => {
    suite = await startBrowserSuite();
  });
  afterAll(async () => {
    await suite?.close();
  });

  it('saves the dashboard at 1280x800 to docs/screenshot.png', async () => {
    for (let i = 0; i < 11; i += 1) await registerUser(suite.server.app);
    const user = await registerUser(suite.server.app, { username: 'ada_codes' });
    const page = await suite.newPage({ width: 1280, height: 800, timezoneId: 'Europe/London' });
    await signIn(page, user.email, user.password);
    await page.request.patch('/api/profile', {
      data: { display_name: 'Ada Lovelace', timezone: 'Europe/London', bio: 'Writing the first program.' },
    });
    await page.reload();
    await page.getByRole('article', { name: 'Total users' }).waitFor();
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: SCREENSHOT });
    await suite.finishTest();
  });
});
