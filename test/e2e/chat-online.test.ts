import { describe, expect, it } from 'vitest';
import { ONLINE_SHOWN } from '../../src/protocol/presence.js';
import { accessibilityViolations } from '../helpers/accessibility.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { openSocket } from '../helpers/socket.js';
import type { TestUser } from '../helpers/users.js';
import { openChat, personNamed, waitForConnection } from './chat-steps.js';

describe.skipIf(!hasChromium)('the online list past the people the socket keeps', () => {
  const suite = useBrowserSuite();

  const person = (displayName: string) => personNamed(suite.server.app, displayName);
  const nameOf = (n: number) => `Person ${String(n).padStart(3, '0')}`;

  it('shows the rest on request and keeps them up to date: who leaves goes, who comes shows', async () => {
    const viewer = await person('Aaron Viewer');
    const others: TestUser[] = [];
    // One after another: the server refuses sign-ups beyond what its password hashing keeps up with.
    for (let n = 1; n <= ONLINE_SHOWN + 3; n++) others.push(await person(nameOf(n)));
    const sockets = await Promise.all(others.map((user) => openSocket(suite.baseUrl, { token: user.token })));
    try {
      const page = await suite.newPage();
      await openChat(page, suite.baseUrl, viewer.token);
      await waitForConnection(page, 'Connected');
      const panel = page.locator('#online-panel');
      const entries = panel.locator('.online-user');
      const last = nameOf(ONLINE_SHOWN + 3);

      // The socket keeps the first ONLINE_SHOWN (Aaron and Person 001…049); 4 more are a click away.
      await expect.poll(() => entries.count()).toBe(ONLINE_SHOWN);
      await panel.getByRole('button', { name: 'and 4 more: show them' }).click();
      await panel.getByText(last, { exact: true }).waitFor();
      expect(await entries.count()).toBe(ONLINE_SHOWN + 4);
      expect(await panel.getByRole('button', { name: /more: show them/ }).count()).toBe(0);
      expect(await accessibilityViolations(page)).toEqual([]);

      // The last one leaves: gone from the list, without a reload or a click.
      await sockets.at(-1)!.close();
      await panel.getByText(last, { exact: true }).waitFor({ state: 'detached' });
      await expect
        .poll(() => panel.locator('.online-heading .online-count').innerText())
        .toBe(String(ONLINE_SHOWN + 3));
      expect(await entries.count()).toBe(ONLINE_SHOWN + 3);

      // Someone new comes, past the first ONLINE_SHOWN: shown too.
      const newcomer = await person(nameOf(ONLINE_SHOWN + 10));
      sockets.push(await openSocket(suite.baseUrl, { token: newcomer.token }));
      await panel.getByText(nameOf(ONLINE_SHOWN + 10), { exact: true }).waitFor();
      expect(await entries.count()).toBe(ONLINE_SHOWN + 4);
      expect(await panel.getByRole('button', { name: /more: show them/ }).count()).toBe(0);
    } finally {
      await Promise.all(sockets.map((socket) => socket.close()));
    }
  }, 90_000);
});
