import { afterEach, describe, expect, it } from 'vitest';
import type { Leaderboard } from '../../src/protocol/leaderboard.js';
import { LEADERBOARD_SIZE } from '../../src/protocol/leaderboard.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { openSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

const MIN = 60_000;

describe.each(testDialects())('weekly leaderboard on %s', (dialect) => {
  let t: TestApp | undefined;
  const clock = testClock(0);
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  /** A fresh instance per test: the board ranks everyone on it. */
  const start = async (at: string) => {
    clock.set(Date.parse(at));
    t = await createTestApp(dialect, { clock, env: { ACCESS_TOKEN_EXPIRE_MINUTES: '43200' } });
    return t;
  };
  const person = (name: string, settings: { leaderboard: boolean; timezone?: string }) =>
    makeUser(t!, { profile: { display_name: name, ...settings } });
  /** A run from `from` to `to` (ISO), recorded by the timer as a person would. */
  const run = async (user: TestUser, from: string, to: string) => {
    clock.set(Date.parse(from));
    await as(user).post('/api/timer/start', { label: 'work' });
    clock.set(Date.parse(to));
    await as(user).post('/api/timer/pause');
  };
  const board = async (user: TestUser, week = 'current') =>
    (await as(user).get(`/api/leaderboard?week=${week}`)).json<Leaderboard>();
  const names = (b: Leaderboard) => b.entries.map((e) => [e.rank, e.user.display_name, e.focus_seconds]);

  it('lists only people who opted in, ranked without gaps, and gives `me` only to them', async () => {
    await start('2026-11-18T08:00:00Z');
    const ana = await person('Ana', { leaderboard: true });
    const bo = await person('Bo', { leaderboard: false });
    const cy = await person('Cy', { leaderboard: true });
    await run(ana, '2026-11-18T08:00:00Z', '2026-11-18T08:30:00Z');
    await run(bo, '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z');
    await run(cy, '2026-11-18T10:00:00Z', '2026-11-18T10:10:00Z');
    const seenByBo = await board(bo);
    expect(names(seenByBo)).toEqual([
      [1, 'Ana', 1800],
      [2, 'Cy', 600],
    ]);
    expect(seenByBo.me).toBeNull();
    expect(JSON.stringify(seenByBo)).not.toContain('Bo');
    expect((await board(cy)).me).toMatchObject({ rank: 2, focus_seconds: 600, streak_days: 1 });
    // Opting out removes them at once; opting in lists them with what they already did.
    await as(ana).patch('/api/profile', { leaderboard: false });
    await as(bo).patch('/api/profile', { leaderboard: true });
    expect(names(await board(cy))).toEqual([
      [1, 'Bo', 3600],
      [2, 'Cy', 600],
    ]);
    expect((await as(cy).get('/api/leaderboard?week=next')).statusCode).toBe(422);
  });

  it("counts each person's own week: a run across local midnight on Sunday splits between two weeks", async () => {
    await start('2026-11-22T12:00:00Z');
    const tokyo = await person('Tokyo', { leaderboard: true, timezone: 'Asia/Tokyo' });
    const la = await person('LA', { leaderboard: true, timezone: 'America/Los_Angeles' });
    // 14:30–15:30 UTC: Sunday 23:30 → Monday 00:30 in Tokyo, Sunday morning in Los Angeles.
    await run(tokyo, '2026-11-22T14:30:00Z', '2026-11-22T15:30:00Z');
    await run(la, '2026-11-22T14:30:00Z', '2026-11-22T15:30:00Z');
    clock.set(Date.parse('2026-11-22T16:00:00Z'));
    const current = await board(tokyo);
    expect(current.week_start).toBe('2026-11-23');
    expect(names(current)).toEqual([
      [1, 'LA', 3600],
      [2, 'Tokyo', 1800],
    ]);
    expect((await board(la)).week_start).toBe('2026-11-16');
    const previous = await board(tokyo, 'previous');
    expect(previous.week_start).toBe('2026-11-16');
    expect(names(previous)).toEqual([[1, 'Tokyo', 1800]]);
  });

  it('counts a forgotten run only up to MAX_RUN_HOURS', async () => {
    await start('2026-11-24T06:00:00Z');
    const dee = await person('Dee', { leaderboard: true });
    await as(dee).post('/api/timer/start', { label: 'left running' });
    clock.advance(20 * 60 * MIN);
    await as(dee).get('/api/timer');
    expect(names(await board(dee))).toEqual([[1, 'Dee', 8 * 3600]]);
  });

  it('ranks equal focus by who joined first, the same on every read, and lists at most the top', async () => {
    await start('2026-11-25T06:00:00Z');
    const people: TestUser[] = [];
    for (let i = 0; i < LEADERBOARD_SIZE + 2; i++) people.push(await person(`P${i}`, { leaderboard: true }));
    // P0 and P1 tie at the top; everyone else has a little less each.
    for (const [i, user] of people.entries()) {
      const minutes = i <= 1 ? 60 : 60 - i;
      const from = Date.parse('2026-11-25T06:00:00Z') + i * 2 * 60 * MIN;
      await run(user, new Date(from).toISOString(), new Date(from + minutes * MIN).toISOString());
    }
    const last = people[people.length - 1]!;
    const first = await board(last);
    expect(first.entries).toHaveLength(LEADERBOARD_SIZE);
    expect(names(first).slice(0, 3)).toEqual([
      [1, 'P0', 3600],
      [2, 'P1', 3600],
      [3, 'P2', 58 * 60],
    ]);
    expect(first.me).toMatchObject({ rank: LEADERBOARD_SIZE + 2, user: { display_name: `P${LEADERBOARD_SIZE + 1}` } });
    expect(await board(people[1]!)).toMatchObject({ entries: first.entries, me: { rank: 2 } });
  });

  it('tells every open page when the board changes, and only then', async () => {
    await start('2026-11-26T06:00:00Z');
    const ana = await person('Ana', { leaderboard: true });
    const bo = await person('Bo', { leaderboard: false });
    const viewer = await makeUser(t!);
    const page = await openSocket(await t!.listen(), { token: viewer.token });
    await page.next('hello');
    const changes = () => page.events.filter((e) => e.type === 'leaderboard.changed').length;
    // Bo is not on the board: his run changes nothing anyone sees; Ana's does.
    await run(bo, '2026-11-26T06:00:00Z', '2026-11-26T06:30:00Z');
    await run(ana, '2026-11-26T07:00:00Z', '2026-11-26T07:30:00Z');
    await expect.poll(changes).toBe(1);
    // Joining the board, and a new name on it, change it; a bio does not.
    await as(bo).patch('/api/profile', { leaderboard: true });
    await expect.poll(changes).toBe(2);
    await as(ana).patch('/api/profile', { bio: 'focused' });
    await as(ana).patch('/api/profile', { display_name: 'Ana B' });
    await expect.poll(changes).toBe(3);
    // A timer started (not a run recorded) changes nothing either.
    await as(ana).post('/api/timer/start', { label: 'more' });
    await as(bo).patch('/api/profile', { leaderboard: false });
    await expect.poll(changes).toBe(4);
    await page.close();
  });
});
