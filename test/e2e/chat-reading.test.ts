import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/chat.js';
import { accessibilityViolations } from '../helpers/accessibility.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { composer, openChat, row, send, waitForConnection } from './chat-steps.js';

/**
 * Headless Chromium never hides a tab, so the test hides it the way a browser does: the page's
 * `document.visibilityState` turns "hidden" and a `visibilitychange` event fires. Notifications
 * are the real API (the permission granted to the context); the wrapper only records them.
 */
const INIT = `
  let hidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  window.__setHidden = (value) => { hidden = value; document.dispatchEvent(new Event('visibilitychange')); };
  window.__notifications = [];
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) { super(title, options); window.__notifications.push({ title, body: options && options.body }); }
  };
`;

let counter = 0;

describe.skipIf(!hasChromium)('reading the chat in the browser', () => {
  const suite = useBrowserSuite();

  async function person(name: string): Promise<TestUser & { username: string }> {
    const username = `${name.toLowerCase()}_${process.pid % 1000}_${++counter}`;
    const user = await registerUser(suite.server.app, { username });
    await as(user).patch('/api/profile', { display_name: name });
    return { ...user, username };
  }

  async function post(user: TestUser, content: string): Promise<Message> {
    const response = await as(user).post('/api/chat/messages', { content });
    expect(response.statusCode).toBe(201);
    return response.json<Message>();
  }

  async function unreadOf(user: TestUser): Promise<number> {
    const response = await as(user).get('/api/chat/unread');
    return response.json<{ unread_count: number }>().unread_count;
  }

  async function chatAs(user: TestUser, permissions: string[] = []): Promise<Page> {
    const page = await suite.newPage();
    await page.context().addInitScript(INIT);
    if (permissions.length > 0) await page.context().grantPermissions(permissions, { origin: suite.baseUrl });
    await openChat(page, suite.baseUrl, user.token);
    await waitForConnection(page, 'Connected');
    return page;
  }

  it('counts a message in the title and the navigation while the tab is hidden, and notifies a mention', async () => {
    const ann = await person('Ann');
    const bob = await person('Bob');
    const page = await chatAs(ann, ['notifications']);
    await page.getByRole('button', { name: 'Mention alerts' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Mention alerts' }).getAttribute('aria-pressed'))
      .toBe('true');
    await expect.poll(() => unreadOf(ann), { timeout: 15_000 }).toBe(0);

    await page.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true));
    await post(bob, 'anyone around?');
    await post(bob, `@${ann.username} can you review my parser?`);
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('(2) Chat · CodeChicks');
    expect(await page.getByTestId('chat-unread').innerText()).toBe('2');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications), {
        timeout: 15_000,
      })
      .toEqual([{ title: 'Bob mentioned you', body: `@${ann.username} can you review my parser?` }]);
    // Still unread on the server: nobody has seen them.
    expect(await unreadOf(ann)).toBe(2);

    // Back in the tab, at the bottom: read, and the counts go.
    await page.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(false));
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('Chat · CodeChicks');
    await expect.poll(() => unreadOf(ann), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('chat-unread').count()).toBe(0);
  });

  it('opens at a "New messages" line above the first unread message after a reload', async () => {
    const ann = await person('Ann');
    const bob = await person('Bob');
    await post(bob, 'seen before');
    const first = await chatAs(ann);
    await row(first, 'seen before').waitFor();
    await expect.poll(() => unreadOf(ann), { timeout: 15_000 }).toBe(0);
    await first.close();

    await post(bob, 'new one');
    await post(bob, 'new two');
    const page = await chatAs(ann);
    await row(page, 'new two').waitFor();
    const next = await page.evaluate(() => {
      const divider = document.querySelector('.unread-divider');
      return divider?.nextElementSibling?.querySelector('.msg-content')?.textContent?.trim() ?? null;
    });
    expect(next).toBe('new one');
    expect(await page.locator('.unread-divider').count()).toBe(1);
  });

  it('inserts a username from the @ suggestions by keyboard', async () => {
    const ann = await person('Ann');
    const bob = await person('Bobby');
    const b = await chatAs(bob);
    const a = await chatAs(ann);
    await a.locator('#online-panel').getByText('Bobby', { exact: true }).waitFor();
    await composer(a).pressSequentially('thanks @bob', { delay: 20 });
    const options = a.getByRole('listbox', { name: 'People to mention' });
    await options.getByRole('option', { name: /Bobby/ }).waitFor();
    expect(await composer(a).getAttribute('aria-activedescendant')).toBe('mention-option-0');
    expect(await accessibilityViolations(a)).toEqual([]);
    await composer(a).press('Enter');
    expect(await composer(a).inputValue()).toBe(`thanks @${bob.username} `);
    await composer(a).press('Enter');
    const sent = b.locator('.msg-mentions-me');
    await sent.waitFor();
    expect(await sent.locator('.mention-me').innerText()).toBe(`@${bob.username}`);
    await b.close();
  });

  it('opens a search result in its context, far above the latest page, highlighted', async () => {
    const ann = await person('Ann');
    const bob = await person('Bob');
    const target = await post(bob, 'the flamingo parser finally works');
    for (let i = 0; i < 70; i++) await post(bob, `filler message ${i}`);
    const page = await chatAs(ann);
    expect(await row(page, 'the flamingo parser finally works').count()).toBe(0);

    await page.getByRole('searchbox', { name: 'Search messages' }).fill('flamin*');
    await page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
    const results = page.getByRole('complementary', { name: /Results for/ });
    const result = results.getByRole('button', { name: /flamingo parser/ });
    await result.waitFor();
    expect(await result.locator('mark').innerText()).toBe('flamingo');
    expect(await accessibilityViolations(page)).toEqual([]);
    await result.click();

    const shown = page.locator(`#message-${target.id}`);
    await expect.poll(() => shown.getAttribute('class'), { timeout: 15_000 }).toContain('msg-highlight');
    expect(await shown.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await shown.isVisible()).toBe(true);

    // A link to the message opens the chat there too.
    await page.goto(`/chat?m=${target.id}`);
    await expect
      .poll(() => page.locator(`#message-${target.id}`).getAttribute('class'), { timeout: 15_000 })
      .toContain('msg-highlight');
  });

  it('highlights a code block, copies its text, and shows who someone is', async () => {
    const ann = await person('Ann');
    const bob = await person('Bob');
    const page = await chatAs(ann, ['clipboard-read', 'clipboard-write']);
    const code = 'const answer: number = 42;\nconsole.log(answer);';
    await send(page, `look:\n\`\`\`ts\n${code}\n\`\`\``);
    const block = page.locator('.message-log .code-block').first();
    await block.locator('code.hljs .hljs-keyword').first().waitFor();
    expect(await block.locator('.hljs-keyword').first().innerText()).toBe('const');
    await block.getByRole('button', { name: 'Copy code' }).click();
    await block.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${code}\n`);

    await post(bob, 'hello from Bob');
    await row(page, 'hello from Bob').getByRole('button', { name: 'Bob', exact: true }).click();
    const card = page.getByRole('dialog', { name: 'Bob' });
    await card.getByText(`@${bob.username}`).waitFor();
    await card.getByText('Member since').waitFor();
    expect(await card.innerText()).not.toContain('@example.com');
    expect(await accessibilityViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'Close' }).click();
  });
});
