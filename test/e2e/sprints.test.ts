import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Sprint } from '../../src/protocol/sprints.js';
import type { FocusSession } from '../../src/protocol/timer.js';
import { formatDuration } from '../../src/web/lib/timer-format.js';
import { accessibilityViolations } from '../helpers/accessibility.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { followingClock } from '../helpers/clock.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { openChat } from './chat-steps.js';

const MIN = 60_000;

describe.skipIf(!hasChromium)('group sprints in the chat', () => {
  // The server's clock follows real time; the test moves it on to the sprint's end.
  const clock = followingClock();
  const suite = useBrowserSuite({ clock });

  async function chatAs(user: TestUser): Promise<Page> {
    const page = await suite.newPage();
    await openChat(page, suite.baseUrl, user.token);
    return page;
  }
  const card = (page: Page) => page.getByTestId('sprint-card').filter({ hasText: 'Write the report' });
  const call = async <T>(user: TestUser, url: string) => (await as(user).get<T>(url)).json();

  it('one starts a sprint from the chat, the other joins from the card; both timers end together; the card shows the total', async () => {
    const ann = await registerUser(suite.server.app, { username: 'ann_sprints' });
    const bob = await registerUser(suite.server.app, { username: 'bob_sprints' });
    const [annPage, bobPage] = [await chatAs(ann), await chatAs(bob)];

    await annPage.getByRole('button', { name: 'Start a sprint' }).click();
    const form = annPage.getByRole('dialog', { name: 'Start a group sprint' });
    await form.getByLabel('What you will focus on').fill('Write the report');
    await form.getByLabel('Focus (minutes)').fill('5');
    await form.getByLabel('Break (minutes)').fill('1');
    expect(await accessibilityViolations(annPage)).toEqual([]);
    await form.getByRole('button', { name: 'Start sprint' }).click();
    await form.waitFor({ state: 'hidden' });

    // The card reaches both, live: Ann is in, Bob may join.
    await card(annPage).getByRole('button', { name: 'Leave sprint' }).waitFor();
    await card(annPage)
      .getByText(/^Focus: 0[45]:\d\d left$/)
      .waitFor();
    await card(bobPage).getByRole('button', { name: 'Join sprint' }).click();
    await card(bobPage).getByRole('button', { name: 'Leave sprint' }).waitFor();
    await card(annPage).getByTestId('sprint-people').filter({ hasText: 'bob_sprints' }).waitFor();
    expect(await accessibilityViolations(bobPage)).toEqual([]);

    // Both floating timers run the sprint's label to the same end.
    const ends = (page: Page) => page.getByTestId('floating-ends').textContent();
    await annPage.getByTestId('floating-ends').waitFor();
    await bobPage.getByTestId('floating-ends').waitFor();
    expect(await ends(bobPage)).toBe(await ends(annPage));
    await bobPage.getByTestId('floating-timer').getByText('Write the report').waitFor();

    // The server ends the focus at its time, by itself: both cards show the group's total.
    const [sprint] = await call<Sprint[]>(ann, '/api/sprints?state=open');
    clock.advance(5 * MIN);
    await card(annPage).getByTestId('sprint-total').waitFor();
    const ended = await call<Sprint>(ann, `/api/sprints/${sprint?.id}`);
    expect(ended.state).toBe('break');
    const runs = [
      ...(await call<FocusSession[]>(ann, '/api/timer/sessions')),
      ...(await call<FocusSession[]>(bob, '/api/timer/sessions')),
    ];
    expect(runs.reduce((sum, r) => sum + r.duration_ms, 0)).toBe(ended.total_focus_ms);
    const total = `Together: ${formatDuration(ended.total_focus_ms)} of focus`;
    for (const page of [annPage, bobPage]) {
      await card(page).getByTestId('sprint-total').filter({ hasText: total }).waitFor();
      await card(page)
        .getByText(/^Break: 0[01]:\d\d left$/)
        .waitFor();
      await page.getByTestId('floating-timer').getByText('Interval complete').waitFor();
    }
    expect(await accessibilityViolations(annPage)).toEqual([]);
  }, 120_000);
});
