import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../src/protocol/dashboard.js';
import { recordRuns } from '../../src/server/timer/timer.repository.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { expectNoGarbage, useSession, waitForText } from './steps.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ARTIFACTS = 'test-results';

/**
 * A fixed-offset time zone in which it is about noon right now, so the runs seeded "today"
 * are safely in the past and no midnight falls while the test runs. `Etc/GMT-5` is UTC+5
 * (the IANA sign is inverted).
 */
function noonZone(now = Date.now()) {
  const offsetHours = 12 - new Date(now).getUTCHours(); // -11 … +12
  const zone = offsetHours === 0 ? 'Etc/UTC' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`;
  const offset = offsetHours * HOUR;
  const todayStart = Math.floor((now + offset) / DAY) * DAY - offset;
  return {
    zone,
    /** Epoch ms of hh:mm local time, `daysAgo` days before today. */
    at: (daysAgo: number, hour: number, minute = 0) => todayStart - daysAgo * DAY + hour * HOUR + minute * MIN,
    /** The local calendar date `daysAgo` days before today. */
    date: (daysAgo: number) => new Date(todayStart - daysAgo * DAY + offset).toISOString().slice(0, 10),
    /** Days since Monday (0 on a Monday). */
    sinceMonday: (new Date(todayStart + offset).getUTCDay() + 6) % 7,
  };
}

/** What each bar of a chart says it draws: date → value. */
async function drawn(page: Page, chart: string): Promise<Map<string, number>> {
  const bars = await page
    .locator(`[data-chart="${chart}"] .chart-bar`)
    .evaluateAll((elements) =>
      elements.map((element) => [element.getAttribute('data-date') ?? '', Number(element.getAttribute('data-value'))]),
    );
  return new Map(bars as [string, number][]);
}

const card = (page: Page, label: string) => page.getByRole('article', { name: label, exact: true });
const cardValue = (page: Page, label: string) => card(page, label).locator('.stat-value').innerText();

describe.skipIf(!hasChromium)('the dashboard in the browser', () => {
  const suite = useBrowserSuite();
  beforeAll(() => {
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  const setZone = (user: TestUser, timezone: string) =>
    suite.server.database.db.updateTable('users').set({ timezone }).where('id', '=', user.id).execute();
  const addRun = (user: TestUser, startedAt: number, minutes: number) =>
    recordRuns(suite.server.database.db, user.id, [{ startedAt, endedAt: startedAt + minutes * MIN, label: '' }]);
  /** Posts a message through the API, then moves it to `at` when given. */
  const addMessage = async (user: TestUser, content: string, at?: number) => {
    const response = await fetch(`${suite.baseUrl}/api/chat/messages`, {
      method: 'POST',
      headers: { ...user.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ content }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    if (at !== undefined) {
      await suite.server.database.db.updateTable('messages').set({ created_at: at }).where('id', '=', id).execute();
    }
  };

  // First: nobody has written or focused yet on this server.
  it('shows a brand-new user empty states that lead to the clock and the chat', { timeout: 60_000 }, async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage({ width: 360, height: 800 });
    await useSession(page, suite.baseUrl, user);
    await page.goto('/dashboard');

    await waitForText(page, 'No focus time yet — start the clock');
    const start = page.getByRole('link', { name: 'start the clock' });
    expect(await start.getAttribute('href')).toBe('/clock');
    await waitForText(page, 'No messages from you in the last 30 days');
    expect(await page.getByRole('link', { name: 'say hello in the chat' }).getAttribute('href')).toBe('/chat');
    expect(await page.locator('.chart-bar').count()).toBe(0);
    expect(await page.getByRole('img').count()).toBe(0);

    expect(await cardValue(page, 'Focus today')).toBe('0 min');
    expect(await cardValue(page, 'Focus this week')).toBe('0 min');
    expect(await cardValue(page, 'Current streak')).toBe('0 days');
    expect(await cardValue(page, 'Messages sent')).toBe('0');
    expect(await page.getByTestId('focus-totals').innerText()).toBe('All time: 0 min of focus in 0 sessions.');
    expect(await cardValue(page, 'Messages today')).toBe('0');
    expect(await card(page, 'Messages today').innerText()).toContain('Nobody wrote yet today');

    // A phone: the cards stack two to a row, and nothing is wider than the screen.
    const lefts = await page
      .locator('.stat-card')
      .evaluateAll((cards) => cards.map((element) => Math.round(element.getBoundingClientRect().left)));
    expect(new Set(lefts).size).toBe(2);
    const rights = await page
      .locator('.stat-card, .chart-card')
      .evaluateAll((cards) => cards.map((element) => element.getBoundingClientRect().right));
    expect(Math.max(...rights)).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoGarbage(page);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-empty-phone.png`, fullPage: true });
  });

  it('draws the seeded days in the user’s time zone and shows the figures in cards', { timeout: 60_000 }, async () => {
    const local = noonZone();
    const user = await registerUser(suite.server.app);
    await setZone(user, local.zone);
    // Focus on three days: today 25 min, yesterday 1 h 25 min, six days ago 50 min.
    await addRun(user, local.at(0, 9), 25);
    await addRun(user, local.at(1, 10), 85);
    await addRun(user, local.at(6, 14), 50);
    // Messages on two days: two now, three four days ago.
    await addMessage(user, 'Good morning!');
    await addMessage(user, 'Off to focus.');
    for (const minute of [0, 5, 10]) await addMessage(user, `Earlier note ${minute}`, local.at(4, 15, minute));

    const page = await suite.newPage({ width: 1280, height: 900, timezoneId: local.zone });
    await useSession(page, suite.baseUrl, user);
    await page.goto('/dashboard');
    await page.locator('[data-chart="focus"] .chart-svg').waitFor();

    const focus = await drawn(page, 'focus');
    expect(focus.size).toBe(30);
    expect([...focus.keys()][0]).toBe(local.date(29));
    expect([...focus.keys()][29]).toBe(local.date(0));
    const expectedFocus = new Map([
      [local.date(0), 25],
      [local.date(1), 85],
      [local.date(6), 50],
    ]);
    for (const [date, value] of focus) expect([date, value]).toEqual([date, expectedFocus.get(date) ?? 0]);

    const messages = await drawn(page, 'messages');
    expect(messages.size).toBe(30);
    const expectedMessages = new Map([
      [local.date(0), 2],
      [local.date(4), 3],
    ]);
    for (const [date, value] of messages) expect([date, value]).toEqual([date, expectedMessages.get(date) ?? 0]);

    // Today is marked; each day tells its exact figure; screen readers get a summary and a table.
    const today = page.locator('[data-chart="focus"] .chart-bar[data-today="true"]');
    expect(await today.getAttribute('data-date')).toBe(local.date(0));
    const titles = await page.locator('[data-chart="focus"] .chart-column title').allTextContents();
    expect(titles).toHaveLength(30);
    expect(titles[28]).toMatch(/: 1 h 25 min$/);
    expect(titles[29]).toMatch(/\(today\): 25 min$/);
    const focusChart = page.locator('[data-chart="focus"]').getByRole('img');
    expect(await focusChart.getAttribute('aria-label')).toMatch(/2 h 40 min on 3 of 30 days; the most, 1 h 25 min/);
    expect(await page.locator('[data-chart="focus"] table tbody tr').count()).toBe(30);
    expect(await page.locator('[data-chart="messages"] table').innerText()).toContain('3 messages');
    // The axis shows a round maximum above the best day.
    const axis = await page.locator('[data-chart="focus"] .chart-gridline text').allTextContents();
    expect(axis).toEqual(['0', '50', '100']);

    // The personal cards.
    const week = 25 + (local.sinceMonday >= 1 ? 85 : 0) + (local.sinceMonday >= 6 ? 50 : 0);
    const weekText: Record<number, string> = { 25: '25 min', 110: '1 h 50 min', 160: '2 h 40 min' };
    expect(await cardValue(page, 'Focus today')).toBe('25 min');
    expect(await cardValue(page, 'Focus this week')).toBe(weekText[week]);
    expect(await cardValue(page, 'Current streak')).toBe('2 days');
    expect(await card(page, 'Current streak').innerText()).toContain('Longest: 2 days');
    expect(await cardValue(page, 'Messages sent')).toBe('5');
    expect(await page.getByTestId('focus-totals').innerText()).toBe('All time: 2 h 40 min of focus in 3 sessions.');

    // The community cards say what the API says for this user's today.
    const answer = (await (await page.request.get('/api/dashboard')).json()) as Dashboard;
    expect(answer.community.messages_today).toBe(2);
    expect(await cardValue(page, 'Messages today')).toBe('2');
    expect(await cardValue(page, 'Community focus today')).toBe('25 min');
    expect(await cardValue(page, 'Total users')).toBe(String(answer.user_stats.total_users));
    expect(await cardValue(page, 'Focus sessions')).toBe('3');
    expect(await card(page, 'Focus sessions').innerText()).toContain('Average 53.3 min each');
    await expect.poll(() => cardValue(page, 'Online now'), { timeout: 15_000 }).toBe('1');

    await expectNoGarbage(page);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-desktop.png`, fullPage: true });
  });

  it('scales the charts to a 360 px phone', { timeout: 60_000 }, async () => {
    const local = noonZone();
    const user = await registerUser(suite.server.app);
    await setZone(user, local.zone);
    for (const daysAgo of [0, 2, 3, 9, 17, 29]) await addRun(user, local.at(daysAgo, 8), 20 + daysAgo * 3);
    const page = await suite.newPage({ width: 360, height: 740, timezoneId: local.zone });
    await useSession(page, suite.baseUrl, user);
    await page.goto('/dashboard');
    const svg = page.locator('[data-chart="focus"] .chart-svg');
    await svg.waitFor();

    const frame = await svg.evaluate((element) => ({
      viewBox: element.getAttribute('viewBox'),
      width: element.getBoundingClientRect().width,
    }));
    expect(frame.width).toBeLessThan(360);
    // The drawing is as wide as its box (text keeps its size) …
    expect(frame.viewBox).toBe(`0 0 ${Math.floor(frame.width)} 200`);
    // … and every bar stays inside it.
    const rightmost = await page
      .locator('[data-chart="focus"] .chart-bar')
      .evaluateAll((bars) =>
        Math.max(...bars.map((bar) => Number(bar.getAttribute('x')) + Number(bar.getAttribute('width')))),
      );
    expect(rightmost).toBeLessThanOrEqual(frame.width);
    expect((await drawn(page, 'focus')).get(local.date(29))).toBe(20 + 29 * 3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-phone.png`, fullPage: true });
  });
});
