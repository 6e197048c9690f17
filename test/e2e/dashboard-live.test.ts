import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { openSocket } from '../helpers/socket.js';
import { registerUser } from '../helpers/users.js';
import { useSession } from './steps.js';

/** Pushed changes arrive within milliseconds; a loaded 2-core machine may take seconds. */
const WAIT = { timeout: 15_000, interval: 100 };

// Its own server: nobody else is online there, so the counts are exact.
describe.skipIf(!hasChromium)('the dashboard’s live community counts', () => {
  const suite = useBrowserSuite();

  it(
    'counts a second user coming online, focusing and leaving, without reloading or polling',
    { timeout: 60_000 },
    async () => {
      const a = await registerUser(suite.server.app);
      const b = await registerUser(suite.server.app, { shareFocus: true });
      const page = await suite.newPage();
      await useSession(page, suite.baseUrl, a);
      await page.goto('/dashboard');

      const online = page.getByRole('article', { name: 'Online now' });
      const focusing = page.getByRole('article', { name: 'Focusing now' });
      const counts = async () => ({
        online: await online.locator('.stat-value').innerText(),
        focusing: await focusing.locator('.stat-value').innerText(),
      });
      // A's own page is online; its socket has said so (the card says "Live").
      await online.getByText('Live').waitFor();
      await expect.poll(counts, WAIT).toEqual({ online: '1', focusing: '0' });

      // From here on the page must neither reload nor ask the HTTP API again.
      await page.evaluate(() => document.body.setAttribute('data-same-page', 'yes'));
      let dashboardRequests = 0;
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/api/dashboard')) dashboardRequests += 1;
      });

      const socket = await openSocket(suite.baseUrl, { token: b.token });
      try {
        await expect.poll(counts, WAIT).toEqual({ online: '2', focusing: '0' });

        const started = await fetch(`${suite.baseUrl}/api/timer/start`, {
          method: 'POST',
          headers: { ...b.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ label: 'Deep work' }),
        });
        expect(started.status).toBe(200);
        await expect.poll(counts, WAIT).toEqual({ online: '2', focusing: '1' });
      } finally {
        await socket.close();
      }
      await expect.poll(counts, WAIT).toEqual({ online: '1', focusing: '0' });

      expect(await page.locator('body').getAttribute('data-same-page')).toBe('yes');
      expect(dashboardRequests).toBe(0);
    },
  );
});
