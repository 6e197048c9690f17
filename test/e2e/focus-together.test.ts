import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { MessageList } from '../../src/protocol/chat.js';
import { LEADERBOARD_REFRESH_MS, LEADERBOARD_REFRESH_SPREAD_MS } from '../../src/protocol/leaderboard.js';
import type { TaskList } from '../../src/protocol/tasks.js';
import { accessibilityViolations } from '../helpers/accessibility.js';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { as } from '../helpers/client.js';
import { followingClock } from '../helpers/clock.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { expectNoGarbage, useSession } from './steps.js';

/** Page loads and live updates on a slow, busy 2-core machine. */
const LONG_TEST_MS = 90_000;

/** Counts the page's reads of its goals (`GET /api/tasks`) from now on. */
function countGoalReads(page: Page): () => number {
  let reads = 0;
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/tasks') reads += 1;
  });
  return () => reads;
}

/** Resolves once the page's WebSocket got its `hello`: from then on pushes reach the page. */
function helloOn(page: Page): Promise<void> {
  return new Promise((resolve) => {
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => {
        if (String(frame.payload).startsWith('{"type":"hello"')) resolve();
      });
    });
  });
}

/**
 * Holds the answer to the page's next `method` request for its goals (the server has done it)
 * until `release()`; `answered()` once the page has it.
 */
async function holdNextGoalsAnswer(page: Page, method: 'GET' | 'POST') {
  let release: (() => void) | null = null;
  let armed = true;
  let answered = false;
  await page.route(
    (url) => url.pathname === '/api/tasks',
    async (route) => {
      if (route.request().method() !== method || !armed) return route.continue();
      armed = false;
      const answer = await route.fetch();
      await new Promise<void>((resolve) => (release = resolve));
      await route.fulfill({ response: answer });
      answered = true;
    },
  );
  return {
    held: () => release !== null,
    release: () => release?.(),
    answered: () => answered,
  };
}

const goalTitles = (page: Page) => page.getByRole('list', { name: 'Goals' }).locator('label').allTextContents();

/** Types a new goal and presses Add, as a person does. */
async function addGoal(page: Page, title: string): Promise<void> {
  await page.getByLabel('New goal').fill(title);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
}

describe.skipIf(!hasChromium)('focusing together: goals, check-ins and the leaderboard', () => {
  // The server's clock follows real time; a test moves it on to end a run at its target.
  const clock = followingClock();
  const suite = useBrowserSuite({ clock });

  const checkins = async (user: TestUser) =>
    (await as(user).get('/api/chat/messages?limit=50'))
      .json<MessageList>()
      .messages.filter((m) => m.sender_id === user.id && m.message_type === 'checkin')
      .map((m) => m.content)
      .reverse();
  async function signedIn(name: string, path: string): Promise<{ user: TestUser; page: Page }> {
    const user = await registerUser(suite.server.app);
    await as(user).patch('/api/profile', { display_name: name });
    const page = await suite.newPage();
    await useSession(page, suite.baseUrl, user);
    await page.goto(path);
    return { user, page };
  }

  it(
    "keeps today's goals on the clock page, starts from one with a check-in, and remembers the checkbox",
    async () => {
      const { user, page } = await signedIn('Ana', '/clock');
      const otherTab = await suite.newPage();
      await useSession(otherTab, suite.baseUrl, user);
      await otherTab.goto('/clock');
      await otherTab.getByLabel('New goal').waitFor({ timeout: 30_000 });
      await addGoal(page, 'Write the docs');
      await page.getByRole('checkbox', { name: 'Write the docs' }).waitFor({ timeout: 30_000 });
      // The same goals in the person's other tab, without a reload.
      await otherTab.getByRole('checkbox', { name: 'Write the docs' }).waitFor({ timeout: 30_000 });
      await otherTab.close();
      await addGoal(page, 'Fix the tests');
      await page.getByRole('checkbox', { name: 'Fix the tests' }).waitFor({ timeout: 30_000 });
      // Reordered on the server: the second goal first.
      await page.getByRole('button', { name: 'Move “Fix the tests” up' }).click();
      await expect
        .poll(async () => (await as(user).get('/api/tasks')).json<TaskList>().tasks.map((t) => t.title), {
          timeout: 15_000,
        })
        .toEqual(['Fix the tests', 'Write the docs']);
      await expect
        .poll(() => page.getByRole('list', { name: 'Goals' }).getByRole('checkbox').first().getAttribute('id'), {
          timeout: 15_000,
        })
        .toBe(`task-done-${(await as(user).get('/api/tasks')).json<TaskList>().tasks[0]!.id}`);

      const announce = page.getByRole('checkbox', { name: 'Announce in chat' });
      expect(await announce.isChecked()).toBe(false);
      await announce.check();
      await page.getByRole('button', { name: 'Start the timer on “Fix the tests”' }).click();
      await expect.poll(() => page.getByTestId('clock-state').textContent(), { timeout: 15_000 }).toContain('Focus');
      expect(await page.getByLabel('What are you focusing on?').inputValue()).toBe('Fix the tests');
      await expect
        .poll(() => checkins(user), { timeout: 15_000 })
        .toEqual(['🎯 Ana is focusing on *Fix the tests* (no set length)']);

      await page.waitForTimeout(1_100); // the run must last a second to show a time beside its goal
      await page.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(() => checkins(user), { timeout: 15_000 }).toHaveLength(2);
      await page.getByLabel(/^Focused \d+ s$/).waitFor({ timeout: 30_000 });

      // Ticking with "Announce in chat" on posts the goal as done.
      await page.getByRole('checkbox', { name: 'Write the docs' }).check();
      await expect
        .poll(async () => (await checkins(user)).at(-1), { timeout: 15_000 })
        .toBe('✅ Ana finished *Write the docs*');
      await page.reload();
      expect(await page.getByRole('checkbox', { name: 'Announce in chat' }).isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: 'Write the docs' }).isChecked()).toBe(true);
      await expectNoGarbage(page);
    },
    LONG_TEST_MS,
  );

  it(
    'keeps the next goal being typed while the one before is still being added',
    async () => {
      const { page } = await signedIn('Cas', '/clock');
      const goal = page.getByLabel('New goal');
      await goal.waitFor({ timeout: 30_000 });
      const adding = await holdNextGoalsAnswer(page, 'POST');
      await addGoal(page, 'Plan the week');
      await expect.poll(adding.held, { timeout: 15_000 }).toBe(true);
      await goal.fill('Call the bank');
      adding.release();
      await expect.poll(adding.answered, { timeout: 15_000 }).toBe(true);
      await page.getByRole('checkbox', { name: 'Plan the week' }).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500); // time for the finished add to (wrongly) clear the field
      expect(await goal.inputValue()).toBe('Call the bank');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('checkbox', { name: 'Call the bank' }).waitFor({ timeout: 30_000 });
      expect(await goal.inputValue()).toBe('');
    },
    LONG_TEST_MS,
  );

  it(
    'shows the newest goals when an older read of them answers late',
    async () => {
      const { page } = await signedIn('Bea', '/clock');
      await page.getByLabel('New goal').waitFor({ timeout: 30_000 });
      // The first read after the first goal is added answers only after the second goal is in.
      const late = await holdNextGoalsAnswer(page, 'GET');
      await addGoal(page, 'Plan the week');
      await expect.poll(late.held, { timeout: 15_000 }).toBe(true);
      await addGoal(page, 'Call the bank');
      await page.getByRole('checkbox', { name: 'Call the bank' }).waitFor({ timeout: 30_000 });
      late.release();
      await expect.poll(late.answered, { timeout: 15_000 }).toBe(true);
      await page.waitForTimeout(500); // time for a late answer to be (wrongly) shown
      expect(await page.getByRole('checkbox', { name: 'Call the bank' }).count()).toBe(1);
      expect(await page.getByRole('checkbox', { name: 'Plan the week' }).count()).toBe(1);
    },
    LONG_TEST_MS,
  );

  it(
    'reads the goals once after each change of its own, not again for its own tasks.updated, and a new order not at all',
    async () => {
      const user = await registerUser(suite.server.app);
      for (const title of ['Write the docs', 'Fix the tests']) await as(user).post('/api/tasks', { title });
      const page = await suite.newPage();
      await useSession(page, suite.baseUrl, user);
      // Every tasks.updated this page receives, with the change id it carries.
      const updates: string[] = [];
      page.on('websocket', (socket) =>
        socket.on('framereceived', ({ payload }) => {
          for (const match of String(payload).matchAll(/"type":"tasks\.updated","change":("[^"]*"|null)/g)) {
            updates.push(match[1]!);
          }
        }),
      );
      const hello = helloOn(page);
      await page.goto('/clock');
      await hello;
      await expect.poll(() => goalTitles(page), { timeout: 30_000 }).toEqual(['Write the docs', 'Fix the tests']);
      const reads = countGoalReads(page);
      const settled = async (changes: number) => {
        await expect.poll(() => updates.length, { timeout: 15_000 }).toBe(changes);
        await page.waitForTimeout(500); // time for a read for its own event to (wrongly) start
      };

      await page.getByRole('button', { name: 'Move “Fix the tests” up' }).click();
      await expect.poll(() => goalTitles(page), { timeout: 15_000 }).toEqual(['Fix the tests', 'Write the docs']);
      await settled(1);
      expect(reads()).toBe(0);

      await addGoal(page, 'Call the bank');
      await page.getByRole('checkbox', { name: 'Call the bank' }).waitFor({ timeout: 15_000 });
      await settled(2);
      expect(reads()).toBe(1);

      await page.getByRole('checkbox', { name: 'Fix the tests' }).check();
      await expect.poll(() => page.getByRole('checkbox', { name: 'Fix the tests' }).isChecked()).toBe(true);
      await settled(3);
      expect(reads()).toBe(2);
      // Each event carried the id this page sent with its change.
      expect(updates.every((change) => /^"[0-9a-f-]{36}"$/.test(change))).toBe(true);

      // Another tab's change (no id of this page's) is read at once.
      await as(user).post('/api/tasks', { title: 'From my phone' });
      await page.getByRole('checkbox', { name: 'From my phone' }).waitFor({ timeout: 15_000 });
      expect(reads()).toBe(3);
      const kept = (await as(user).get('/api/tasks')).json<TaskList>().tasks.map((t) => t.title);
      expect(kept).toEqual(['Write the docs', 'Call the bank', 'From my phone', 'Fix the tests']);
    },
    LONG_TEST_MS,
  );

  it(
    'reads the goals once when a run ends by itself, and shows its time beside its goal',
    async () => {
      const user = await registerUser(suite.server.app);
      await as(user).post('/api/tasks', { title: 'Read the paper' });
      await as(user).post('/api/timer/start', { label: 'Read the paper', target_minutes: 1 });
      const page = await suite.newPage();
      await useSession(page, suite.baseUrl, user);
      const hello = helloOn(page);
      await page.goto('/clock');
      await hello;
      await page.getByTestId('clock-state').filter({ hasText: 'Focusing' }).waitFor({ timeout: 30_000 });
      await page.getByRole('checkbox', { name: 'Read the paper' }).waitFor({ timeout: 30_000 });
      const reads = countGoalReads(page);
      clock.advance(60_000); // the server ends the run at its target and pushes it
      onTestFinished(() => clock.advance(-60_000)); // the later tests' server runs on real time again
      await page.getByLabel('Focused 1 min').waitFor({ timeout: 30_000 });
      expect(reads()).toBe(1);
    },
    LONG_TEST_MS,
  );

  it(
    'shows the weekly leaderboard on the dashboard with only the people who opted in',
    async () => {
      const recordRun = async (user: TestUser) => {
        await as(user).post('/api/timer/start', { label: 'x' });
        await new Promise((resolve) => setTimeout(resolve, 1_100)); // a run of a second, on the real clock
        await as(user).post('/api/timer/pause');
      };
      const shown = await registerUser(suite.server.app);
      await as(shown).patch('/api/profile', { display_name: 'Board Member', leaderboard: true });
      const hidden = await registerUser(suite.server.app);
      await as(hidden).patch('/api/profile', { display_name: 'Private Person' });
      await Promise.all([recordRun(shown), recordRun(hidden)]);

      const onlooker = await registerUser(suite.server.app);
      const page = await suite.newPage();
      await page.clock.install(); // the page's own clock, to pass its wait between two reads of the board
      await useSession(page, suite.baseUrl, onlooker);
      await page.goto('/dashboard');
      const board = page.getByRole('region', { name: 'Weekly leaderboard' });
      await board.getByRole('cell', { name: 'Board Member' }).waitFor({ timeout: 30_000 });
      expect(await board.textContent()).not.toContain('Private Person');
      expect(await board.textContent()).toContain('You are not on it');

      // Someone joins the board and focuses: the open page shows them without a reload, once its wait is over.
      const newcomer = await registerUser(suite.server.app);
      await as(newcomer).patch('/api/profile', { display_name: 'New Member', leaderboard: true });
      await recordRun(newcomer);
      await page.clock.fastForward(LEADERBOARD_REFRESH_MS + LEADERBOARD_REFRESH_SPREAD_MS);
      await board.getByRole('cell', { name: 'New Member' }).waitFor({ timeout: 30_000 });
      expect(await board.textContent()).not.toContain('Private Person');
      await board.getByRole('button', { name: 'Last week' }).click();
      await board.getByText('Nobody has focus on the board for this week yet.').waitFor({ timeout: 30_000 });
      await expectNoGarbage(page);
    },
    LONG_TEST_MS,
  );

  it(
    'groups the people focusing apart in the online list, with their label and time left',
    async () => {
      const focuser = await registerUser(suite.server.app, { shareFocus: true });
      await as(focuser).patch('/api/profile', { display_name: 'Deep Diver' });
      const focuserPage = await suite.newPage();
      await useSession(focuserPage, suite.baseUrl, focuser);
      await focuserPage.goto('/chat');
      await as(focuser).post('/api/timer/start', { label: 'Parser', target_minutes: 50 });

      const { page } = await signedIn('Watcher', '/chat');
      const focusing = page.getByRole('list', { name: /^Focusing/ });
      const around = page.getByRole('list', { name: /^Around/ });
      await focusing.getByText('Deep Diver').waitFor({ timeout: 30_000 });
      await expect.poll(() => focusing.textContent(), { timeout: 15_000 }).toMatch(/Parser · (49|50) min left/);
      await around.getByText('Watcher').waitFor({ timeout: 30_000 });
      expect(await focusing.textContent()).not.toContain('Watcher');
      expect(await accessibilityViolations(page)).toEqual([]);

      await as(focuser).post('/api/timer/pause');
      // Nobody focusing: one list again, without the groups.
      await expect.poll(() => focusing.count(), { timeout: 15_000 }).toBe(0);
      await page
        .getByRole('complementary', { name: /^Online/ })
        .getByText('Deep Diver')
        .waitFor({ timeout: 30_000 });
      await expectNoGarbage(page);
    },
    LONG_TEST_MS,
  );

  it(
    'holds mentions while a quiet person focuses and lists them when the run ends',
    async () => {
      const { user, page } = await signedIn('Quiet Quinn', '/chat');
      await as(user).patch('/api/profile', { quiet_while_focusing: true, username: 'quiet_quinn' });
      await page.reload();
      await page
        .getByRole('complementary', { name: /^Online/ })
        .getByText('Quiet Quinn')
        .waitFor({ timeout: 30_000 });
      await as(user).post('/api/timer/start', { label: 'Deep work' });
      await page.getByTestId('floating-timer').waitFor({ timeout: 30_000 });
      const other = await registerUser(suite.server.app);
      // Whoever mentions them is told the mention will wait.
      const otherPage = await suite.newPage();
      await useSession(otherPage, suite.baseUrl, other);
      await otherPage.goto('/chat');
      await otherPage.getByRole('textbox', { name: 'Message' }).fill('hey @Quiet_Quinn');
      await otherPage
        .getByRole('status')
        .filter({ hasText: 'Quiet Quinn is focusing — your message will wait in their mentions' })
        .waitFor({ timeout: 30_000 });
      expect(await accessibilityViolations(otherPage)).toEqual([]);
      const sent = await as(other).post('/api/chat/messages', { content: 'hey @quiet_quinn, a question' });
      const id = sent.json<{ id: number }>().id;
      await page.getByText('a question').waitFor({ timeout: 30_000 });
      expect(await page.getByRole('region', { name: /while you focused/ }).count()).toBe(0);

      await as(user).post('/api/timer/pause');
      const summary = page.getByRole('region', { name: '1 mention while you focused' });
      await summary.waitFor({ timeout: 30_000 });
      expect(await summary.getByRole('link').getAttribute('href')).toBe(`/chat?m=${id}`);
      expect(await accessibilityViolations(page)).toEqual([]);
      await summary.getByRole('button', { name: 'Dismiss' }).click();
      await expect.poll(() => summary.count(), { timeout: 15_000 }).toBe(0);
    },
    LONG_TEST_MS,
  );
});
