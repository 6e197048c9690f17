import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { registerUser } from '../helpers/users.js';
import { openChat, row, waitForConnection } from './chat-steps.js';

/** What the fuzzing found the API accepts (test/api/fuzz-routes.test.ts): the page must show it as sent. */
const NAME = 'Eve \u202etxet\u202c zero\u200bwidth';
const MESSAGES = [
  'right-to-left \u202edesrever\u202c then back',
  'zero\u200bwidth\u200djoiner\ufeff and e\u0301',
  'family 👩‍👩‍👧 <script>alert(1)</script> ﷺ',
];

describe.skipIf(!hasChromium)('odd but accepted text in the browser', () => {
  const suite = useBrowserSuite();

  it('shows a name and messages with bidi overrides, zero-width and combining characters as sent', async () => {
    const writer = await registerUser(suite.server.app);
    const reader = await registerUser(suite.server.app);
    const renamed = await as(writer).patch('/api/profile', { display_name: NAME });
    expect(renamed.statusCode).toBe(200);
    for (const content of MESSAGES) {
      const sent = await as(writer).post('/api/chat/messages', { content });
      expect(sent.statusCode).toBe(201);
    }

    const page = await suite.newPage();
    await openChat(page, suite.baseUrl, reader.token);
    await waitForConnection(page, 'Connected');
    for (const content of MESSAGES) {
      const shown = row(page, content);
      await shown.waitFor();
      expect(await shown.locator('.msg-content').textContent()).toContain(content);
    }
    await expect.poll(() => page.locator('.msg-author').first().textContent()).toBe(NAME);
    // The markup in a message is text, not an element.
    expect(await page.locator('.message-log script').count()).toBe(0);
  });
});
