import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import {
  contents,
  expectShownOnce,
  openChat,
  reconnectNow,
  row,
  send,
  switchableSocket,
  waitForConnection,
} from './chat-steps.js';

/** Failures a test provokes on purpose: refused WebSocket handshakes, a cut connection. */
const NETWORK_NOISE = /WebSocket connection to .* failed|net::ERR_|Failed to load resource/;

describe.skipIf(!hasChromium)('chat over a bad network in the browser', () => {
  const suite = useBrowserSuite();

  async function post(user: TestUser, content: string): Promise<void> {
    const answer = await as(user).post('/api/chat/messages', { content });
    expect(answer.statusCode).toBe(201);
  }

  async function storedCount(user: TestUser, content: string): Promise<number> {
    const answer = await as(user).get('/api/chat/messages?page_size=100');
    return answer.json<{ messages: { content: string }[] }>().messages.filter((m) => m.content === content).length;
  }

  it('retries a send whose answer was lost without storing it twice', async () => {
    suite.allowProblem(NETWORK_NOISE);
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    const socket = await switchableSocket(page);
    await openChat(page, suite.baseUrl, user.token);
    await waitForConnection(page, 'Connected');

    // The socket goes away (and stays away), so the page sends over HTTP…
    socket.blocked = true;
    await socket.drop();
    await waitForConnection(page, 'Reconnecting…');
    // …and the first answer is lost on the way back, after the server stored the message.
    let cut = 1;
    await page.route('**/api/chat/messages', async (route) => {
      if (route.request().method() !== 'POST' || cut === 0) return route.fallback();
      cut -= 1;
      await route.fetch();
      await route.abort('connectionreset');
    });

    await send(page, 'Only once, please');
    const failed = page.locator('.msg-pending[data-state="failed"]');
    await failed.waitFor();
    expect(await failed.innerText()).toContain('Not sent');
    expect(await storedCount(user, 'Only once, please')).toBe(1);

    await failed.getByRole('button', { name: 'Retry' }).click();
    await expectShownOnce(page, 'Only once, please');
    expect(await page.locator('.msg-pending').count()).toBe(0);
    expect(await storedCount(user, 'Only once, please')).toBe(1);

    // Back online: the catch-up does not bring a second copy either.
    socket.blocked = false;
    await reconnectNow(page);
    await waitForConnection(page, 'Connected');
    await send(page, 'After the storm');
    await expectShownOnce(page, 'After the storm');
    await expectShownOnce(page, 'Only once, please');
  }, 60_000);

  it('polls over HTTP while the WebSocket cannot connect at all, and stops once it can', async () => {
    suite.allowProblem(NETWORK_NOISE);
    const user = await registerUser(suite.server.app);
    const other = await registerUser(suite.server.app);
    const page = await suite.newPage();
    const socket = await switchableSocket(page);
    socket.blocked = true;
    await openChat(page, suite.baseUrl, user.token);
    await waitForConnection(page, 'Offline — polling', 30_000);

    await post(other, 'Heard through polling');
    await expectShownOnce(page, 'Heard through polling', 15_000);
    await send(page, 'Sent while polling');
    await expectShownOnce(page, 'Sent while polling');

    socket.blocked = false;
    await reconnectNow(page);
    await waitForConnection(page, 'Connected');
    // No more polling: nothing asks for `after=` on its own any more (the reconnect's own catch-up aside).
    await page.waitForTimeout(2_000);
    let polls = 0;
    page.on('request', (request) => {
      if (request.url().includes('after=')) polls += 1;
    });
    await post(other, 'Heard live');
    await expectShownOnce(page, 'Heard live');
    await page.waitForTimeout(6_000);
    expect(polls).toBe(0);
  }, 90_000);

  it('shows the latest messages and says so after missing more than 500', async () => {
    suite.allowProblem(NETWORK_NOISE);
    const user = await registerUser(suite.server.app);
    const other = await registerUser(suite.server.app);
    const third = await registerUser(suite.server.app);
    await post(other, 'Before the long absence');
    const page = await suite.newPage();
    const socket = await switchableSocket(page);
    await openChat(page, suite.baseUrl, user.token);
    await waitForConnection(page, 'Connected');
    await expectShownOnce(page, 'Before the long absence');

    socket.blocked = true;
    await socket.drop();
    await waitForConnection(page, 'Reconnecting…');
    // Two writers, so no one hits the sending limit.
    for (let n = 1; n <= 560; n += 1) await post(n % 2 === 0 ? other : third, `Missed ${n}`);

    socket.blocked = false;
    await reconnectNow(page);
    await waitForConnection(page, 'Connected');
    await page.getByText('You were away for a while: showing the latest messages').waitFor();
    await expectShownOnce(page, 'Missed 560');
    // The latest page and nothing of the gap before it: no partial replay.
    const rows = page.locator('.message-log .msg[data-message-id]');
    await expect.poll(() => rows.count()).toBe(50);
    expect(await row(page, 'Missed 511').count()).toBe(1);
    expect(await row(page, 'Missed 510').count()).toBe(0);
    expect(await contents(page, 'Before the long absence').count()).toBe(0);
    await page.getByRole('button', { name: 'Load older messages' }).waitFor();
  }, 90_000);
});
