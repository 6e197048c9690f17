import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowserFor, type BrowserFor } from '../helpers/browser.js';
import { registerUserAt, startServerProcess, type HttpUser, type ServerProcess } from '../helpers/server-process.js';
import { expectShownOnce, openChat, send, waitForConnection } from './chat-steps.js';

/** While the server is down the pages' handshakes and calls fail, as they would for a person. */
const SERVER_DOWN_NOISE = /WebSocket connection to .* failed|net::ERR_|Failed to load resource/;

describe.skipIf(!hasChromium)('chat across a server restart in the browser', () => {
  let server: ServerProcess;
  let browser: BrowserFor;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await startBrowserFor(server.baseUrl);
  });
  afterEach(async () => {
    await browser.finishTest();
    if (!server.running) await server.start();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function post(user: HttpUser, content: string): Promise<void> {
    const response = await fetch(`${server.baseUrl}/api/chat/messages`, {
      method: 'POST',
      headers: { ...user.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ content }),
    });
    expect(response.status).toBe(201);
  }

  async function storedCount(user: HttpUser, content: string): Promise<number> {
    const response = await fetch(`${server.baseUrl}/api/chat/messages?page_size=100`, { headers: user.auth });
    const body = (await response.json()) as { messages: { content: string }[] };
    return body.messages.filter((m) => m.content === content).length;
  }

  async function chatAs(user: HttpUser): Promise<Page> {
    const page = await browser.newPage();
    await openChat(page, server.baseUrl, user.token);
    await waitForConnection(page, 'Connected');
    return page;
  }

  it('reconnects both pages by themselves and shows what was said meanwhile exactly once', async () => {
    browser.allowProblem(SERVER_DOWN_NOISE);
    const ann = await registerUserAt(server.baseUrl, { displayName: 'Ann' });
    const bob = await registerUserAt(server.baseUrl, { displayName: 'Bob' });
    const a = await chatAs(ann);
    const b = await chatAs(bob);
    await send(a, 'Before the restart');
    await expectShownOnce(b, 'Before the restart');

    await server.stop();
    for (const page of [a, b]) await waitForConnection(page, 'Reconnecting…');
    // Down for a moment, with nothing said.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await server.start();
    // Said right after the restart, while the pages are still finding their way back.
    const missed = ['Missed one', 'Missed two', 'Missed three'];
    for (const content of missed) await post(ann, content);

    for (const page of [a, b]) {
      await waitForConnection(page, 'Connected', 45_000);
      for (const content of ['Before the restart', ...missed]) await expectShownOnce(page, content);
      await expect.poll(() => page.locator('.message-log .msg').count()).toBe(4);
    }
    // And live again afterwards.
    await send(b, 'Back to normal');
    await expectShownOnce(a, 'Back to normal');
  }, 120_000);

  it('shows a send that failed while the server was down with Retry, which stores it once', async () => {
    browser.allowProblem(SERVER_DOWN_NOISE);
    const carol = await registerUserAt(server.baseUrl, { displayName: 'Carol' });
    const dave = await registerUserAt(server.baseUrl, { displayName: 'Dave' });
    const c = await chatAs(carol);
    const d = await chatAs(dave);

    await server.stop();
    await waitForConnection(c, 'Reconnecting…');
    await send(c, 'Said while the server was away');
    const failed = c.locator('.msg-pending[data-state="failed"]');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.innerText()).toContain('Not sent');

    await server.start();
    await waitForConnection(c, 'Connected', 45_000);
    // A failed message waits for the person: Retry is still offered after reconnecting.
    await failed.getByRole('button', { name: 'Retry' }).click();
    await expectShownOnce(c, 'Said while the server was away');
    expect(await c.locator('.msg-pending').count()).toBe(0);
    await waitForConnection(d, 'Connected', 45_000);
    await expectShownOnce(d, 'Said while the server was away');
    expect(await storedCount(carol, 'Said while the server was away')).toBe(1);
  }, 120_000);
});
