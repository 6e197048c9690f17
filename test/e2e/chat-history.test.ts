import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { runUsersCommand } from '../../src/server/cli.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { contents, inView, messageAction, openChat, row, waitForConnection } from './chat-steps.js';

describe.skipIf(!hasChromium)('chat history and moderation in the browser', () => {
  const suite = useBrowserSuite();

  async function post(user: TestUser, content: string, replyTo?: number): Promise<number> {
    const answer = await as(user).post('/api/chat/messages', {
      content,
      ...(replyTo ? { reply_to_id: replyTo } : {}),
    });
    expect(answer.statusCode).toBe(201);
    return answer.json<{ id: number }>().id;
  }

  /** Where a row is, relative to the top of the visible part of the list. */
  function offsetInList(page: Page, text: string): Promise<number> {
    return row(page, text).evaluate((element) => {
      const scroller = element.closest('.message-scroller') as HTMLElement;
      return element.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    });
  }

  it('loads older messages keeping the reader in place, and says when new ones arrive below', async () => {
    const writer = await registerUser(suite.server.app);
    const reader = await registerUser(suite.server.app);
    for (let n = 1; n <= 120; n += 1) await post(writer, `History ${n}`);

    const page = await suite.newPage({ height: 700 });
    await openChat(page, suite.baseUrl, reader.token);
    await waitForConnection(page, 'Connected');
    const rows = page.locator('.message-log .msg[data-message-id]');
    await expect.poll(() => rows.count()).toBe(50);
    // The newest is in view at the bottom.
    await row(page, 'History 120').waitFor();
    expect(await inView(page, 'History 120')).toBe(true);

    // Read from the top of what is loaded, then load older.
    const scroller = page.locator('.message-scroller');
    await scroller.evaluate((element) => (element.scrollTop = 0));
    const before = await offsetInList(page, 'History 71');
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await expect.poll(() => rows.count()).toBe(100);
    const after = await offsetInList(page, 'History 71');
    expect(Math.abs(after - before)).toBeLessThanOrEqual(2);
    expect(await inView(page, 'History 71')).toBe(true);
    expect(await row(page, 'History 70').count()).toBe(1);

    // A new message while reading history: the list stays, a button offers the way down.
    const scrolled = await scroller.evaluate((element) => element.scrollTop);
    await post(writer, 'Fresh news');
    const marker = page.getByRole('button', { name: /1 new message/ });
    await marker.waitFor();
    expect(Math.abs((await scroller.evaluate((element) => element.scrollTop)) - scrolled)).toBeLessThanOrEqual(2);
    await marker.click();
    await expect.poll(() => inView(page, 'Fresh news')).toBe(true);
    await marker.waitFor({ state: 'hidden' });
    await expect
      .poll(() => scroller.evaluate((e) => Math.round(e.scrollHeight - e.scrollTop - e.clientHeight)))
      .toBeLessThanOrEqual(2);

    // At the bottom, the next one scrolls into view by itself.
    await post(writer, 'And more news');
    await expect.poll(() => inView(page, 'And more news')).toBe(true);

    // The rest of the history, then its beginning.
    await scroller.evaluate((element) => (element.scrollTop = 0));
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await page.getByText('The beginning of the conversation').waitFor();
    await expect.poll(() => rows.count()).toBe(122);
  }, 90_000);

  it('takes a reply quote to its original, loading older messages when needed', async () => {
    const writer = await registerUser(suite.server.app);
    const reader = await registerUser(suite.server.app);
    const original = await post(writer, 'The original question');
    for (let n = 1; n <= 60; n += 1) await post(writer, `Filler ${n}`);
    await post(writer, 'The answer', original);

    const page = await suite.newPage({ height: 700 });
    await openChat(page, suite.baseUrl, reader.token);
    await waitForConnection(page, 'Connected');
    await row(page, 'The answer').waitFor();
    expect(await row(page, 'The original question').count()).toBe(0);

    await row(page, 'The answer')
      .getByRole('button', { name: /^In reply to .*: The original question/ })
      .click();
    const target = row(page, 'The original question');
    await expect.poll(() => target.getAttribute('class'), { timeout: 15_000 }).toContain('msg-highlight');
    expect(await inView(page, 'The original question')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`message-${original}`);
  }, 60_000);

  it('lets an admin delete anyone’s message, and nobody else', async () => {
    const writer = await registerUser(suite.server.app);
    const admin = await registerUser(suite.server.app);
    await runUsersCommand(suite.server.services, ['promote', admin.email]);
    await post(writer, 'Spam, spam, spam');

    const page = await suite.newPage();
    await openChat(page, suite.baseUrl, admin.token);
    await waitForConnection(page, 'Connected');
    await messageAction(page, 'Spam, spam, spam', 'Delete message');
    await page.getByRole('dialog', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => contents(page, 'Spam, spam, spam').count()).toBe(0);
    // Nor can it be edited by the admin: edits stay the sender's.
    await post(writer, 'Not yours to edit');
    await row(page, 'Not yours to edit').hover();
    expect(await row(page, 'Not yours to edit').getByRole('button', { name: 'Edit message' }).count()).toBe(0);
  }, 60_000);
});
