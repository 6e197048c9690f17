import type { Locator, Page, WebSocketRoute } from 'playwright-core';
import { expect } from 'vitest';
import type { App } from '../../src/server/app.js';
import { SESSION_COOKIE } from '../../src/server/http/session.js';
import { as } from '../helpers/client.js';
import { registerUser, type TestUser } from '../helpers/users.js';

/** What the chat suites do on the page, the way a person would. */

/** A new member of `app`, onboarded, shown to others as `displayName`. */
export async function personNamed(app: App, displayName: string): Promise<TestUser> {
  const user = await registerUser(app);
  const answer = await as(user).patch('/api/profile', { display_name: displayName });
  expect(answer.statusCode).toBe(200);
  return user;
}

/** Signs the page's context in with `token` and opens /chat until it is live. */
export async function openChat(page: Page, baseUrl: string, token: string): Promise<void> {
  await page
    .context()
    .addCookies([{ name: SESSION_COOKIE, value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  await page.goto('/chat');
  await page.locator('.message-log').waitFor({ state: 'attached' });
}

export function connectionText(page: Page): Locator {
  return page.getByTestId('connection-status').locator('.connection-text');
}

/** Presses "Reconnect now" unless the page reconnected by itself first. */
export async function reconnectNow(page: Page): Promise<void> {
  await page
    .getByRole('button', { name: 'Reconnect now' })
    .click({ timeout: 3_000 })
    .catch(() => undefined);
}

/** Waits until the status says `text` (e.g. "Connected"). */
export async function waitForConnection(page: Page, text: string, timeout = 20_000): Promise<void> {
  await expect.poll(() => connectionText(page).innerText(), { timeout, interval: 100 }).toBe(text);
}

export function composer(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The rendered text of messages (stored or still sending) that read exactly `text`. */
export function contents(page: Page, text: string): Locator {
  return page.locator('.message-log .msg-content').filter({ hasText: exactly(text) });
}

/** The row (stored message) whose text is exactly `text`. */
export function row(page: Page, text: string): Locator {
  return page
    .locator('.message-log .msg[data-message-id]')
    .filter({ has: page.locator('.msg-content').filter({ hasText: exactly(text) }) });
}

/** Waits until `text` is shown exactly once, as a stored message (not "sending"). */
export async function expectShownOnce(page: Page, text: string, timeout = 20_000): Promise<void> {
  await expect
    .poll(async () => [await contents(page, text).count(), await row(page, text).count()], { timeout, interval: 100 })
    .toEqual([1, 1]);
}

/** Opens a message's actions (they show on hover) and clicks one of them. */
export async function messageAction(page: Page, text: string, action: string): Promise<void> {
  const target = row(page, text);
  await target.hover();
  await target.getByRole('button', { name: action, exact: true }).click();
}

/**
 * Routes the page's WebSocket through a switch: while `blocked`, every handshake fails before it
 * opens; `drop()` closes the connected one. Must be set up before the page loads.
 */
export async function switchableSocket(page: Page) {
  let current: { page: WebSocketRoute; server: WebSocketRoute } | undefined;
  const state = {
    blocked: false,
    async drop() {
      const open = current;
      current = undefined;
      if (open) {
        await open.server.close({ code: 4000, reason: 'test' }).catch(() => undefined);
        await open.page.close({ code: 4000, reason: 'test' }).catch(() => undefined);
      }
    },
  };
  await page.routeWebSocket(/\/ws$/, async (ws) => {
    if (state.blocked) {
      await ws.close({ code: 4001, reason: 'blocked by the test' });
      return;
    }
    current = { page: ws, server: ws.connectToServer() };
  });
  return state;
}

/** Whether the row of `text` is within the visible part of the message list. */
export function inView(page: Page, text: string): Promise<boolean> {
  return row(page, text).evaluate((element) => {
    const scroller = element.closest('.message-scroller') as HTMLElement;
    const box = element.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  });
}
