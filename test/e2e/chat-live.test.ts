import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import type { TestUser } from '../helpers/users.js';
import {
  composer,
  contents,
  expectShownOnce,
  messageAction,
  openChat,
  personNamed,
  row,
  send,
  waitForConnection,
} from './chat-steps.js';

describe.skipIf(!hasChromium)('chat between two people in the browser', () => {
  const suite = useBrowserSuite();

  const person = (displayName: string) => personNamed(suite.server.app, displayName);

  async function chatAs(user: TestUser, options: { width?: number } = {}): Promise<Page> {
    const page = await suite.newPage(options);
    await openChat(page, suite.baseUrl, user.token);
    await waitForConnection(page, 'Connected');
    return page;
  }

  it('shows messages, replies, edits, reactions, deletes, typing and who is online on both sides', async () => {
    const ann = await person('Ann');
    const bob = await person('Bob');
    const a = await chatAs(ann);
    const b = await chatAs(bob, { width: 360 });

    // Both are in the online list of both (Bob's is behind a button on his narrow screen).
    await a.locator('#online-panel').getByText('Bob', { exact: true }).waitFor();
    await a.locator('#online-panel').getByText('Ann', { exact: false }).first().waitFor();
    await b.getByRole('button', { name: /Online \(2\)/ }).click();
    await b.locator('#online-panel').getByText('Ann', { exact: true }).waitFor();
    await b.getByRole('button', { name: /Online \(2\)/ }).click();
    // Nothing sticks out sideways on a 360 px phone.
    expect(await b.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // A message from Ann appears on Bob's page, as Markdown.
    await send(a, 'Hello Bob, **welcome**!');
    await expectShownOnce(b, 'Hello Bob, welcome!');
    expect(await contents(b, 'Hello Bob, welcome!').locator('strong').innerText()).toBe('welcome');
    await expectShownOnce(a, 'Hello Bob, welcome!');

    // Bob types: Ann sees it.
    await composer(b).pressSequentially('Thanks', { delay: 30 });
    await a.getByText('Bob is typing…').waitFor();
    await composer(b).fill('');

    // Bob replies; Ann sees the quote, and it takes her to the original.
    await messageAction(b, 'Hello Bob, welcome!', 'Reply to Ann');
    await b.getByText('Replying to').waitFor();
    await send(b, 'Thanks Ann!');
    await expectShownOnce(a, 'Thanks Ann!');
    const quote = row(a, 'Thanks Ann!').getByRole('button', { name: /^In reply to Ann: Hello Bob/ });
    await quote.click();
    await expect.poll(() => row(a, 'Hello Bob, welcome!').getAttribute('class')).toContain('msg-highlight');

    // Ann edits her message (Enter saves): Bob sees the new text, "(edited)" and the new quote.
    await messageAction(a, 'Hello Bob, welcome!', 'Edit message');
    const editor = a.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('Hello Bob, welcome aboard!');
    await editor.press('Enter');
    await expectShownOnce(b, 'Hello Bob, welcome aboard!');
    expect(await row(b, 'Hello Bob, welcome aboard!').innerText()).toContain('(edited)');
    await expect
      .poll(() => row(b, 'Thanks Ann!').locator('.msg-quote').innerText())
      .toContain('Hello Bob, welcome aboard!');

    // Bob reacts; both see the count, only Bob's chip is pressed.
    await messageAction(b, 'Hello Bob, welcome aboard!', 'Add reaction');
    await b.getByRole('button', { name: 'React with 👍' }).click();
    const chipOf = (page: Page) => row(page, 'Hello Bob, welcome aboard!').locator('.reaction');
    await expect.poll(() => chipOf(a).innerText()).toMatch(/👍\s*1/);
    expect(await chipOf(a).getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => chipOf(b).getAttribute('aria-pressed')).toBe('true');
    // Ann adds hers by pressing the chip: 2 on both sides.
    await chipOf(a).click();
    await expect.poll(() => chipOf(b).innerText()).toMatch(/👍\s*2/);
    await expect.poll(() => chipOf(a).getAttribute('aria-pressed')).toBe('true');

    // Bob cannot edit or delete Ann's message (ownership is by id).
    await row(b, 'Hello Bob, welcome aboard!').hover();
    expect(await row(b, 'Hello Bob, welcome aboard!').getByRole('button', { name: 'Delete message' }).count()).toBe(0);
    expect(await row(b, 'Hello Bob, welcome aboard!').getByRole('button', { name: 'Edit message' }).count()).toBe(0);

    // Ann deletes it with the keyboard: the dialog starts on Cancel, Escape keeps the message.
    const deleteButton = row(a, 'Hello Bob, welcome aboard!').getByRole('button', { name: 'Delete message' });
    await deleteButton.focus();
    await a.keyboard.press('Enter');
    const dialog = a.getByRole('dialog', { name: 'Delete this message?' });
    await dialog.waitFor();
    expect(await a.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expectShownOnce(a, 'Hello Bob, welcome aboard!');
    await deleteButton.focus();
    await a.keyboard.press('Enter');
    await dialog.waitFor();
    await a.keyboard.press('Tab');
    await a.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    for (const page of [a, b]) {
      await expect.poll(() => contents(page, 'Hello Bob, welcome aboard!').count()).toBe(0);
      await expect.poll(() => row(page, 'Thanks Ann!').locator('.msg-quote').innerText()).toContain('deleted');
    }
    // A long line of code scrolls inside its block, not the phone's page.
    await send(a, '```\n' + 'const veryLongLine = 1;'.repeat(20) + '\n```');
    await expect.poll(() => b.locator('.message-log pre').count()).toBe(1);
    expect(await b.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // Bob renames himself elsewhere: Ann's page shows the new name on his message, without a reload.
    const renamed = await as(bob).patch('/api/profile', { display_name: 'Bob Builder' });
    expect(renamed.statusCode).toBe(200);
    await expect.poll(() => row(a, 'Thanks Ann!').locator('.msg-author').innerText()).toBe('Bob Builder');
    await a.locator('#online-panel').getByText('Bob Builder', { exact: true }).waitFor();
  }, 90_000);

  it('shows stored script, image, svg and javascript: payloads as inert text, also in reply quotes', async () => {
    const mallory = await person('Mallory');
    const reader = await person('Reader');
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '[x](javascript:alert(1))',
      `"'><svg onload=alert(1)>`,
    ];
    const ids: number[] = [];
    for (const content of payloads) {
      const answer = await as(mallory).post('/api/chat/messages', { content });
      expect(answer.statusCode).toBe(201);
      ids.push(answer.json<{ id: number }>().id);
    }
    const reply = await as(mallory).post('/api/chat/messages', { content: 'quoting it', reply_to_id: ids[3] });
    expect(reply.statusCode).toBe(201);

    const page = await suite.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openChat(page, suite.baseUrl, reader.token);
    await waitForConnection(page, 'Connected');
    // One more arrives live (rendered from a message.created event, not the first page).
    await as(mallory).post('/api/chat/messages', { content: '<img src=y onerror=alert(2)> live' });

    for (const content of [...payloads, '<img src=y onerror=alert(2)> live']) await expectShownOnce(page, content);
    await expect.poll(() => row(page, 'quoting it').locator('.msg-quote').innerText()).toContain(payloads[3]);

    const log = page.locator('.message-log');
    expect(await log.locator('img, script, iframe, object, embed').count()).toBe(0);
    expect(await log.locator('svg:not(.icon)').count()).toBe(0);
    expect(await log.locator('[onerror], [onload]').count()).toBe(0);
    expect(await contents(page, '[x](javascript:alert(1))').locator('a').count()).toBe(0);
    expect(await log.locator('a[href^="javascript" i]').count()).toBe(0);
    // Hovering and clicking the quote runs nothing either.
    await row(page, 'quoting it').locator('.msg-quote').click();
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('body img:not(.avatar)').length)).toBe(0);
  }, 60_000);
});
