import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/chat.js';
import { emit } from '../../src/server/realtime/emit.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { expectShownOnce, openChat, row, send, waitForConnection } from './chat-steps.js';

/** The server's clock, moved forward with the page's (both start at the real time). */
let shiftMs = 0;
const serverClock = { now: () => Date.now() + shiftMs };

describe.skipIf(!hasChromium)('the chat page follows the server', () => {
  const suite = useBrowserSuite({ env: () => ({ CHAT_EDIT_WINDOW_MINUTES: '5' }), clock: serverClock });

  async function chatPage(): Promise<{ page: Page; frames: string[]; user: TestUser }> {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(String(payload))));
    await page.clock.install();
    await openChat(page, suite.baseUrl, user.token);
    await waitForConnection(page, 'Connected');
    return { page, frames, user };
  }

  const editButton = (page: Page, text: string) => row(page, text).getByRole('button', { name: 'Edit message' });

  it('offers Edit only within the edit window the server enforces (CHAT_EDIT_WINDOW_MINUTES=5)', async () => {
    shiftMs = 0;
    const { page } = await chatPage();
    await send(page, 'Edit me while you can');
    await expectShownOnce(page, 'Edit me while you can');
    await row(page, 'Edit me while you can').hover();
    await editButton(page, 'Edit me while you can').waitFor({ timeout: 30_000 });

    // Four minutes on: still within the window.
    shiftMs += 4 * 60_000;
    await page.clock.fastForward('04:00');
    await row(page, 'Edit me while you can').hover();
    await editButton(page, 'Edit me while you can').waitFor({ timeout: 30_000 });

    // Past five minutes the server refuses an edit, and the page no longer offers one.
    shiftMs += 61_000;
    await page.clock.fastForward('01:01');
    await row(page, 'Edit me while you can').hover();
    await expect.poll(() => editButton(page, 'Edit me while you can').count()).toBe(0);
  });

  it('applies a frame holding several events in order', async () => {
    shiftMs = 0;
    const { page, frames, user } = await chatPage();
    await send(page, 'First version');
    await expectShownOnce(page, 'First version');
    const latest = await as(user).get('/api/chat/messages?page_size=1');
    const [base] = latest.json<{ messages: Message[] }>().messages;
    expect(base?.content).toBe('First version');

    // Two updates of one message in one tick: they leave as one array frame, and the last one wins.
    const { bus } = suite.server.services;
    const edited = new Date().toISOString();
    emit(
      { bus },
      { kind: 'all' },
      { type: 'message.updated', message: { ...base!, content: 'Second version', edited_at: edited } },
    );
    emit(
      { bus },
      { kind: 'all' },
      { type: 'message.updated', message: { ...base!, content: 'Third version', edited_at: edited } },
    );

    await expectShownOnce(page, 'Third version');
    expect(await row(page, 'Second version').count()).toBe(0);
    const batched = frames.filter((frame) => frame.startsWith('['));
    expect(batched.some((frame) => frame.includes('Second version') && frame.includes('Third version'))).toBe(true);
  });
});
