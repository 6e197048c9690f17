import { readFile } from 'node:fs/promises';
import type { Page, Route, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FocusSession, TimerState } from '../../src/protocol/timer.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { registerUser } from '../helpers/users.js';
import { expectNoGarbage, useSession } from './steps.js';

const MINUTE = 60_000;

/** A timer state as the server would send it at `now`. */
function timerState(now: number, changes: Partial<TimerState>): TimerState {
  return {
    state: 'idle',
    elapsed_ms: 0,
    run_started_at: null,
    label: '',
    target_ms: null,
    ended_by: null,
    server_time: new Date(now).toISOString(),
    version: 1,
    ...changes,
  };
}

const isPath = (path: string) => (url: URL) => url.pathname === path;

/** Answers GET /api/timer with `answer()`; other methods reach the server. */
async function fakeTimer(page: Page, answer: () => TimerState): Promise<void> {
  await page.route(isPath('/api/timer'), async (route: Route) => {
    if (route.request().method() !== 'GET') return route.continue();
    return route.fulfill({ json: answer() });
  });
}

/** Flows with page loads and live sockets: room for a slow, busy 2-core machine (usually 5-20 s). */
const LONG_TEST_MS = 60_000;

describe.skipIf(!hasChromium)('the focus clock page', () => {
  const suite = useBrowserSuite();

  async function clockPage(): Promise<Page> {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, user);
    return page;
  }

  it(
    'starts a 25/5 interval with a label, records it, exports, renames and deletes it',
    async () => {
      const page = await clockPage();
      await page.goto('/clock');
      await page.getByText('No focus sessions in the last 7 days').waitFor();
      expect(await page.getByTestId('clock-state').textContent()).toContain('Ready');

      await page.getByRole('radio', { name: '25 / 5 min' }).check();
      await page.getByLabel('What are you focusing on?').fill('Write docs');
      const [started] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/timer/start')),
        page.getByRole('button', { name: 'Start', exact: true }).click(),
      ]);
      expect(started.status()).toBe(200);

      // The preset set the target on the server.
      const timer = (await (await page.request.get('/api/timer')).json()) as TimerState;
      expect(timer).toMatchObject({ state: 'running', target_ms: 25 * MINUTE, label: 'Write docs' });
      await page.getByTestId('clock-target').filter({ hasText: 'left of 25 min' }).waitFor();
      await page.getByTestId('clock-state').filter({ hasText: 'Focusing' }).waitFor();
      await page.waitForFunction(
        () => (document.querySelector('[data-testid="clock-time"]')?.textContent ?? '') >= '00:00:01',
      );

      // Pausing records the run; the history refreshes by itself.
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.getByTestId('clock-state').filter({ hasText: 'Paused' }).waitFor();
      const row = page.getByRole('listitem').filter({ hasText: 'Write docs' });
      await row.waitFor();
      expect(await page.getByRole('heading', { name: /^Today/ }).count()).toBeGreaterThan(0);
      expect(await page.getByTestId('today-total').textContent()).toMatch(/^\d+ s$/);
      expect(await page.getByTestId('today-total').textContent()).not.toBe('0 s');

      // The CSV download holds the run.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const csv = await readFile(await download.path(), 'utf8');
      const lines = csv.trim().split(/\r?\n/);
      expect(lines[0]).toMatch(/^id,started_at_utc,ended_at_utc,/);
      expect(lines.some((line) => line.endsWith(',Write docs'))).toBe(true);

      // Rename in place.
      await row.getByRole('button', { name: /^Rename the session/ }).click();
      const input = page.getByRole('textbox', { name: /^Label of the session/ });
      await input.fill('Review the pull request');
      await input.press('Enter');
      const renamed = page.getByRole('listitem').filter({ hasText: 'Review the pull request' });
      await renamed.waitFor();
      const sessions = (await (await page.request.get('/api/timer/sessions')).json()) as FocusSession[];
      expect(sessions.map((session) => session.label)).toEqual(['Review the pull request']);

      // Delete, after a confirmation.
      await renamed.getByRole('button', { name: /^Delete the session/ }).click();
      await renamed.getByText('This cannot be undone').waitFor();
      await renamed.getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByText('No focus sessions in the last 7 days').waitFor();
      expect(await (await page.request.get('/api/timer/sessions')).json()).toEqual([]);

      // Reset goes back to Ready; the page never showed garbage.
      await page.getByRole('button', { name: 'Reset', exact: true }).click();
      await page.getByTestId('clock-state').filter({ hasText: 'Ready' }).waitFor();
      await expectNoGarbage(page);
    },
    LONG_TEST_MS,
  );

  it(
    "ends an interval at its target here, beeps and notifies, takes the server's push without asking, then offers the break",
    async () => {
      const page = await clockPage();
      await page.context().grantPermissions(['notifications']);
      // Record the notifications and the beep's oscillators instead of guessing whether they happened.
      await page.addInitScript(() => {
        const record = ((window as unknown as { alerts?: string[] }).alerts = [] as string[]);
        const Original = window.Notification;
        window.Notification = class extends Original {
          constructor(title: string, options?: NotificationOptions) {
            record.push(`notification: ${title}`);
            super(title, options);
          }
        };
        // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the context as `this`
        const createOscillator = AudioContext.prototype.createOscillator;
        AudioContext.prototype.createOscillator = function (this: AudioContext) {
          record.push(`beep (${this.state})`);
          return createOscillator.call(this);
        };
      });
      const alerts = () => page.evaluate(() => (window as unknown as { alerts: string[] }).alerts);

      // The server's side: 5 minutes left, until the test moves the end close; then ended at its target.
      const target = 25 * MINUTE;
      let endsAt = Date.now() + 5 * MINUTE;
      let readsAfterEnd = 0;
      const running = (now: number, version: number) =>
        timerState(now, {
          state: 'running',
          elapsed_ms: target - (endsAt - now),
          run_started_at: new Date(endsAt - target).toISOString(),
          target_ms: target,
          label: 'Pomodoro',
          version,
        });
      const ended = (now: number) =>
        timerState(now, { state: 'paused', elapsed_ms: target, target_ms: target, ended_by: 'target', version: 7 });
      await fakeTimer(page, () => {
        const now = Date.now();
        if (now < endsAt) return running(now, 5);
        readsAfterEnd += 1;
        return ended(now);
      });
      let toPage: WebSocketRoute | undefined;
      await page.routeWebSocket(
        (url) => url.pathname === '/ws',
        (pageSide) => {
          toPage = pageSide;
          pageSide.connectToServer();
        },
      );
      await page.goto('/clock');
      await page.getByTestId('clock-state').filter({ hasText: 'Focusing' }).waitFor();
      await page
        .getByTestId('clock-target')
        .filter({ hasText: /^0[45]:\d\d left of 25 min$/ })
        .waitFor();

      // Asked for on a click (which also unlocks the sound).
      await page.getByRole('switch', { name: 'Notify me' }).check();

      // Another tab changed the run (pushed): its end is 1.5 s away now.
      endsAt = Date.now() + 1_500;
      toPage?.send(JSON.stringify({ type: 'timer.updated', timer: running(Date.now(), 6) }));

      await page.getByTestId('clock-state').filter({ hasText: 'Interval complete' }).waitFor();
      expect(await page.getByTestId('clock-time').textContent()).toBe('00:25:00');
      // The server ends the run by itself and pushes it: the page does not ask for it.
      toPage?.send(JSON.stringify({ type: 'timer.updated', timer: ended(Date.now()) }));
      await page.getByTestId('clock-time').filter({ hasText: '00:25:00' }).waitFor();
      expect(readsAfterEnd).toBe(0);
      await expect.poll(alerts).toContain('notification: Interval complete');
      expect(await alerts()).toContain('beep (running)');

      await page.getByRole('button', { name: 'Start 5-min break' }).click();
      await page
        .getByTestId('break-time')
        .filter({ hasText: /^0[45]:\d\d$/ })
        .waitFor();
      await page.getByRole('button', { name: 'End break' }).click();
      await page.getByText('Break over: ready for the next interval?').waitFor();
      await page.getByRole('button', { name: 'Start next interval' }).waitFor();
    },
    LONG_TEST_MS,
  );

  it(
    'says a run stopped at the longest run, and shows failed loads with Retry',
    async () => {
      suite.allowProblem(/status of 503/);
      const page = await clockPage();
      let failing = true;
      const eightHours = 8 * 3_600_000;
      await page.route(isPath('/api/timer'), (route) => {
        if (failing) {
          return route.fulfill({ status: 503, json: { detail: 'The database is not reachable', code: 'unavailable' } });
        }
        const now = Date.now();
        return route.fulfill({
          json: timerState(now, { state: 'paused', elapsed_ms: eightHours, ended_by: 'max', version: 9 }),
        });
      });
      await page.route(isPath('/api/timer/sessions'), (route) => {
        if (failing) {
          return route.fulfill({ status: 503, json: { detail: 'The database is not reachable', code: 'unavailable' } });
        }
        const ended = Date.now() - 60_000;
        const session: FocusSession = {
          id: 1,
          started_at: new Date(ended - eightHours).toISOString(),
          ended_at: new Date(ended).toISOString(),
          duration_ms: eightHours,
          label: 'Forgotten',
        };
        return route.fulfill({ json: [session] });
      });
      await page.goto('/clock');

      const timerError = page.getByRole('alert').filter({ hasText: 'Could not load your timer' });
      const historyError = page.getByRole('alert').filter({ hasText: 'Could not load your sessions' });
      await timerError.getByText('The database is not reachable').waitFor();
      await historyError.waitFor();
      expect(await page.getByText('Loading your').count()).toBe(0);

      failing = false;
      await timerError.getByRole('button', { name: 'Retry' }).click();
      await page.getByTestId('clock-state').filter({ hasText: 'Stopped after 8 hours (the longest run)' }).waitFor();
      await historyError.getByRole('button', { name: 'Retry' }).click();
      await page.getByRole('listitem').filter({ hasText: 'Forgotten' }).waitFor();
      await expectNoGarbage(page);
    },
    LONG_TEST_MS,
  );
});
