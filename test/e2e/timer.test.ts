import type { Locator, Page, Response, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TimerState } from '../../src/protocol/timer.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { useSession } from './steps.js';
import { sameSiteHeaders } from '../helpers/same-site.js';

/** Within this long after the click's answer, the other tab shows the change (pushed, not polled). */
const LIVE_MS = 1_000;

/** Resolves once the page's WebSocket got its `hello`: from then on pushes reach the page. */
function helloOn(page: Page): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hello = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the page got no hello on its WebSocket')), 20_000);
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => {
        if (String(frame.payload).startsWith('{"type":"hello"')) resolve();
      });
    });
  }).finally(() => clearTimeout(timer));
  page.on('close', () => clearTimeout(timer));
  // A test that fails before awaiting it does not also leave an unhandled rejection behind.
  hello.catch(() => undefined);
  return hello;
}

/**
 * Starts watching `page` for the first moment `selector` contains `text`, noted by a
 * MutationObserver in the page itself (wall clock), so how fast a busy test runner polls does
 * not count against the page.
 */
async function watchFor(page: Page, selector: string, text: string): Promise<() => Promise<number>> {
  const key = `${selector} ${text}`;
  await page.evaluate(
    ({ selector, text, key }) => {
      const seen = ((window as unknown as { seenAt?: Record<string, number> }).seenAt ??= {});
      delete seen[key];
      const check = () => {
        if (seen[key] !== undefined || !document.querySelector(selector)?.textContent?.includes(text)) return;
        seen[key] = Date.now();
        observer.disconnect();
      };
      const observer = new MutationObserver(check);
      observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
      check();
    },
    { selector, text, key },
  );
  return async () => {
    const found = await page.waitForFunction(
      (key) => (window as unknown as { seenAt?: Record<string, number> }).seenAt?.[key],
      key,
    );
    return (await found.jsonValue()) as number;
  };
}

/** When the answer reached the browser (wall clock), from the request's own timing. */
async function answeredAt(response: Response): Promise<number> {
  await response.finished();
  const timing = response.request().timing();
  const end = timing.responseEnd >= 0 ? timing.responseEnd : timing.responseStart;
  return end >= 0 ? timing.startTime + end : Date.now();
}

/** Console errors and exceptions of a page the suite did not open itself (a second tab). */
function watchTab(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    const apiAnswer = /status of 4\d\d/.test(message.text()) && /\/(api|auth)\//.test(url);
    if (!apiAnswer) problems.push(`console error: ${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  return problems;
}

/** `HH:MM:SS` shown by `locator`, in seconds. */
async function secondsShown(locator: Locator): Promise<number> {
  const text = (await locator.textContent()) ?? '';
  const match = /(\d+):(\d{2}):(\d{2})/.exec(text);
  if (!match) throw new Error(`no time in "${text}"`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('the element has no box');
  return found;
}

/** Flows with page loads and live sockets: room for a slow, busy 2-core machine (usually 5-20 s). */
const LONG_TEST_MS = 60_000;

describe.skipIf(!hasChromium)('the focus timer across tabs, and the floating timer', () => {
  const suite = useBrowserSuite();

  async function signedInPage(user: TestUser, size?: { width: number; height: number }): Promise<Page> {
    const page = await suite.newPage(size);
    await useSession(page, suite.baseUrl, user);
    return page;
  }

  it(
    'starts in one tab, shows it running in the other within a second, survives a reload and pauses back',
    async () => {
      const user = await registerUser(suite.server.app);
      const tabA = await signedInPage(user);
      const tabB = await tabA.context().newPage();
      const problemsB = watchTab(tabB);

      const liveA = helloOn(tabA);
      const liveB = helloOn(tabB);
      await Promise.all([tabA.goto('/clock'), tabB.goto('/dashboard')]);
      await Promise.all([liveA, liveB]);

      const start = tabA.getByRole('button', { name: 'Start', exact: true });
      const floating = tabB.getByRole('region', { name: 'Focus timer' });
      expect(await floating.count()).toBe(0);
      const runningInB = await watchFor(tabB, '[data-testid="floating-timer"]', 'Focusing');
      const [started] = await Promise.all([
        tabA.waitForResponse((response) => response.url().endsWith('/api/timer/start')),
        start.click(),
      ]);
      expect(started.status()).toBe(200);
      // Within a second of tab A's answer, tab B shows the run (measured in the pages).
      expect((await runningInB()) - (await answeredAt(started))).toBeLessThanOrEqual(LIVE_MS);
      await floating.getByText('Focusing').waitFor();
      // The clock page has its own big clock: no floating timer there.
      expect(await tabA.getByRole('region', { name: 'Focus timer' }).count()).toBe(0);

      const timeA = tabA.getByTestId('clock-time');
      const timeB = floating.getByTestId('floating-time');
      await tabB.waitForFunction(
        () => (document.querySelector('[data-testid="floating-time"]')?.textContent ?? '') >= '00:00:02',
      );
      const [shownA, shownB] = await Promise.all([secondsShown(timeA), secondsShown(timeB)]);
      expect(Math.abs(shownA - shownB)).toBeLessThanOrEqual(1);

      // A reload keeps the time: it lives on the server, not in the tab.
      const before = await secondsShown(timeB);
      const liveAgain = helloOn(tabB);
      await tabB.reload();
      await floating.getByText('Focusing').waitFor();
      expect(await secondsShown(timeB)).toBeGreaterThanOrEqual(before);
      await liveAgain;

      const pausedInA = await watchFor(tabA, '[data-testid="clock-state"]', 'Paused');
      const [paused] = await Promise.all([
        tabB.waitForResponse((response) => response.url().endsWith('/api/timer/pause')),
        floating.getByRole('button', { name: 'Pause timer' }).click(),
      ]);
      expect(paused.status()).toBe(200);
      expect((await pausedInA()) - (await answeredAt(paused))).toBeLessThanOrEqual(LIVE_MS);
      await tabA.getByTestId('clock-state').filter({ hasText: 'Paused' }).waitFor();
      await floating.getByRole('button', { name: 'Resume timer' }).waitFor();
      const [pausedA, pausedB] = await Promise.all([secondsShown(timeA), secondsShown(timeB)]);
      expect(Math.abs(pausedA - pausedB)).toBeLessThanOrEqual(1);
      expect(pausedA).toBeGreaterThanOrEqual(before);

      // The paused time stands still in both tabs.
      await tabA.getByRole('button', { name: 'Resume', exact: true }).waitFor();
      expect(await secondsShown(timeA)).toBe(pausedA);
      expect(problemsB).toEqual([]);
    },
    LONG_TEST_MS,
  );

  it(
    'drags the floating timer by mouse and keyboard, keeps it on screen and remembers where it is',
    async () => {
      const user = await registerUser(suite.server.app);
      const page = await signedInPage(user, { width: 1280, height: 800 });
      const started = await page.request.post('/api/timer/start', {
        headers: sameSiteHeaders(suite.baseUrl),
        data: { label: 'Drag me around' },
      });
      expect(started.status()).toBe(200);
      await page.goto('/dashboard');
      const panel = page.getByRole('region', { name: 'Focus timer' });
      await panel.getByText('Drag me around').waitFor();

      // Its text is readable on it (WCAG AA; the panel is 97 % opaque, so its own colour decides).
      const ratios = await panel.evaluate((element) => {
        const parse = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = (rgb: number[]) => {
          const [r = 0, g = 0, b = 0] = rgb.map((value) => {
            const c = value / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const background = luminance(parse(getComputedStyle(element).backgroundColor));
        return ['.ft-state', '.ft-time', '.ft-label', '.ft-link'].map((selector) => {
          const part = element.querySelector(selector);
          const text = part ? luminance(parse(getComputedStyle(part).color)) : background;
          const [light, dark] = text > background ? [text, background] : [background, text];
          return (light + 0.05) / (dark + 0.05);
        });
      });
      for (const ratio of ratios) expect(ratio).toBeGreaterThanOrEqual(4.5);

      // First shown in the bottom right corner.
      const first = await box(panel);
      expect(first.x + first.width).toBeGreaterThan(1280 - 40);
      expect(first.y + first.height).toBeGreaterThan(800 - 40);

      // Mouse: grab it by its time and move it up and to the left.
      const time = await box(panel.getByTestId('floating-time'));
      const grab = { x: time.x + 20, y: time.y + time.height / 2 };
      await page.mouse.move(grab.x, grab.y);
      await page.mouse.down();
      await page.mouse.move(grab.x - 300, grab.y - 200, { steps: 6 });
      await page.mouse.up();
      const dragged = await box(panel);
      expect(Math.abs(dragged.x - (first.x - 300))).toBeLessThanOrEqual(1);
      expect(Math.abs(dragged.y - (first.y - 200))).toBeLessThanOrEqual(1);

      // A press on one of its buttons never drags it.
      const hide = await box(panel.getByRole('button', { name: 'Hide the timer on this page' }));
      await page.mouse.move(hide.x + hide.width / 2, hide.y + hide.height / 2);
      await page.mouse.down();
      await page.mouse.move(hide.x - 150, hide.y + 120, { steps: 4 });
      await page.mouse.up();
      expect(await box(panel)).toEqual(dragged);

      // Nor does its resize corner: that makes it narrower, in place.
      const corner = await box(panel.locator('.ft-resize'));
      await page.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2);
      await page.mouse.down();
      await page.mouse.move(corner.x + corner.width / 2 + 60, corner.y + corner.height / 2 + 40, { steps: 4 });
      await page.mouse.up();
      const widened = await box(panel);
      expect(Math.abs(widened.x - dragged.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(widened.y - dragged.y)).toBeLessThanOrEqual(1);
      expect(widened.width).toBeGreaterThan(dragged.width + 40);

      // Keyboard: arrows on the focused handle move it 10 px, with Shift 50 px.
      const handle = panel.getByRole('button', { name: 'Move the focus timer' });
      await handle.focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Shift+ArrowUp');
      const moved = await box(panel);
      expect(Math.round(moved.x - widened.x)).toBe(-20);
      expect(Math.round(moved.y - widened.y)).toBe(-50);
      const outline = await handle.evaluate((element) => getComputedStyle(element).outlineStyle);
      expect(outline).not.toBe('none');

      // It cannot be pushed out of the window.
      for (let i = 0; i < 30; i += 1) await page.keyboard.press('Shift+ArrowUp');
      expect((await box(panel)).y).toBeGreaterThanOrEqual(0);
      await page.keyboard.press('Shift+ArrowDown');
      const remembered = await box(panel);

      // × hides it for this page view only: a reload brings it back, where it was and as wide.
      await panel.getByRole('button', { name: 'Hide the timer on this page' }).click();
      await panel.waitFor({ state: 'detached' });
      await page.reload();
      await panel.getByText('Drag me around').waitFor();
      const restored = await box(panel);
      expect(Math.abs(restored.x - remembered.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(restored.y - remembered.y)).toBeLessThanOrEqual(1);
      expect(Math.abs(restored.width - remembered.width)).toBeLessThanOrEqual(1);

      // A smaller window keeps it inside; at 360 px it still fits and nothing scrolls sideways.
      await page.setViewportSize({ width: 360, height: 640 });
      await expect
        .poll(async () => {
          const now = await box(panel);
          return now.x >= 0 && now.y >= 0 && now.x + now.width <= 360 && now.y + now.height <= 640;
        })
        .toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
    },
    LONG_TEST_MS,
  );

  it(
    'catches up after the socket was away: a missed push is read again on reconnect',
    async () => {
      const user = await registerUser(suite.server.app);
      const page = await signedInPage(user);
      await page.request.post('/api/timer/start', {
        headers: sameSiteHeaders(suite.baseUrl),
        data: { label: 'Before the outage' },
      });
      const stale = (await (
        await page.request.post('/api/timer/pause', { headers: sameSiteHeaders(suite.baseUrl) })
      ).json()) as TimerState;

      // Between the page and the server: frames from the server can be dropped, the socket closed.
      let dropping = false;
      let dropped = 0;
      let hellos = 0;
      const pageSides: WebSocketRoute[] = [];
      await page.routeWebSocket(
        (url) => url.pathname === '/ws',
        (pageSide) => {
          pageSides.push(pageSide);
          const serverSide = pageSide.connectToServer();
          serverSide.onMessage((message) => {
            const text = String(message);
            if (text.startsWith('{"type":"hello"')) hellos += 1;
            if (dropping && text.startsWith('{"type":"timer.updated"')) dropped += 1;
            else pageSide.send(message);
          });
        },
      );
      await page.goto('/dashboard');
      const panel = page.getByRole('region', { name: 'Focus timer' });
      await panel.getByText('Paused').waitFor();
      await expect.poll(() => hellos).toBe(1);

      // Another device resumes while this page's socket loses the push.
      dropping = true;
      await page.request.post('/api/timer/start', { headers: sameSiteHeaders(suite.baseUrl) });
      await expect.poll(() => dropped).toBe(1);
      expect(await panel.getByText('Paused').count()).toBe(1);

      // The socket drops (a server restart); the page reconnects by itself and reads the timer again.
      dropping = false;
      await pageSides[0]?.close({ code: 1001, reason: 'going away' });
      await expect.poll(() => hellos, { timeout: 15_000 }).toBe(2);
      await panel.getByText('Focusing').waitFor({ timeout: 10_000 });

      // A late answer older than what the page knows (a lower version) changes nothing.
      await page.route(
        (url) => url.pathname === '/api/timer',
        (route) => (route.request().method() === 'GET' ? route.fulfill({ json: stale }) : route.continue()),
      );
      const staleRead = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/timer');
      await pageSides[1]?.close({ code: 1001, reason: 'going away' });
      await staleRead;
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      expect(await panel.getByText('Focusing').count()).toBe(1);
    },
    LONG_TEST_MS,
  );

  it(
    'brings a hidden floating timer back when a run starts elsewhere',
    async () => {
      const user = await registerUser(suite.server.app);
      const page = await signedInPage(user);
      await page.request.post('/api/timer/start', {
        headers: sameSiteHeaders(suite.baseUrl),
        data: { label: 'First run' },
      });
      await page.request.post('/api/timer/pause', { headers: sameSiteHeaders(suite.baseUrl) });
      const live = helloOn(page);
      await page.goto('/settings');
      const panel = page.getByRole('region', { name: 'Focus timer' });
      await panel.getByText('Paused').waitFor();
      await live;

      await panel.getByRole('button', { name: 'Hide the timer on this page' }).click();
      await panel.waitFor({ state: 'detached' });
      // Focus does not fall out of the page with the timer.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

      // Another device resumes: the pushed start shows it again, within a second.
      const shown = await watchFor(page, '[data-testid="floating-timer"]', 'Focusing');
      await page.request.post('/api/timer/start', { headers: sameSiteHeaders(suite.baseUrl) });
      const answered = Date.now();
      expect((await shown()) - answered).toBeLessThanOrEqual(LIVE_MS);
      await panel.getByText('Focusing').waitFor();
      await panel.getByRole('button', { name: 'Reset timer' }).click();
      await panel.waitFor({ state: 'detached' });
    },
    LONG_TEST_MS,
  );
});
