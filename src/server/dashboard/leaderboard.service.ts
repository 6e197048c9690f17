import { LEADERBOARD_SIZE, type Leaderboard, type LeaderboardQuery } from '../../protocol/leaderboard.js';
import { shownName } from '../chat/chat.service.js';
import type { AppContext } from '../context.js';
import { invalidCredentials } from '../http/errors.js';
import { localDate, startOfLocalWeek } from '../shared/time.js';
import { streaksOf } from './dashboard.service.js';
import * as repo from './leaderboard.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Streaks are read from this far back: a longer one shows as this long. */
const STREAK_HORIZON_DAYS = 400;

/** Monday to Sunday of the current or previous week in a time zone, as local dates. */
function weekIn(now: number, timeZone: string, previous: boolean): { from: string; to: string } {
  const current = startOfLocalWeek(now, timeZone);
  const start = previous ? startOfLocalWeek(current - 1, timeZone) : current;
  // Noon of Monday and of Sunday: a DST shift of an hour cannot move them to another day.
  return {
    from: localDate(start + 12 * HOUR_MS, timeZone),
    to: localDate(start + 6 * DAY_MS + 12 * HOUR_MS, timeZone),
  };
}

/** Every opted-in zone's week, zones with the same dates together (two or three groups at most). */
function weeksOf(now: number, zones: readonly string[], previous: boolean): repo.WeekDays[] {
  const groups = new Map<string, repo.WeekDays & { zones: string[] }>();
  for (const zone of zones) {
    const week = weekIn(now, zone, previous);
    const key = `${week.from}/${week.to}`;
    const group = groups.get(key) ?? { ...week, zones: [] };
    group.zones.push(zone);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Focus per person in their own week (Monday start, their time zone), from their recorded runs'
 * local days (migration 0011): runs never exceed MAX_RUN_HOURS, as the timer ends them there.
 * Only people who opted in are read at all, so nobody else shows, not even as a gap in ranks.
 */
export async function getLeaderboard(deps: Deps, userId: number, query: LeaderboardQuery): Promise<Leaderboard> {
  const now = deps.clock.now();
  const member = await repo.findMember(deps.db, userId);
  if (member === undefined) throw invalidCredentials();
  const previous = query.week === 'previous';
  const weeks = weeksOf(now, await repo.optedInZones(deps.db), previous);
  const top = await repo.topWeekly(deps.db, weeks, LEADERBOARD_SIZE);
  const optedIn = member.leaderboard === 1;
  const mine = top.find((row) => row.id === userId);
  const myMs = mine?.focus_ms ?? (optedIn ? await repo.weeklyTotalOf(deps.db, weeks, userId) : 0);
  const people = [...top, ...(mine === undefined && optedIn ? [{ ...member, focus_ms: myMs }] : [])];
  const streaks = await streaksByPerson(deps, now, people);
  const line = (row: Omit<repo.WeeklyTotal, 'timezone'>) => ({
    user: { id: row.id, username: row.username, display_name: shownName(row.display_name, row.username) },
    focus_seconds: Math.round(row.focus_ms / 1000),
    streak_days: streaks.get(row.id) ?? 0,
  });
  let myRank: number | null = null;
  if (mine !== undefined) myRank = top.indexOf(mine) + 1;
  else if (myMs > 0) myRank = await repo.rankOf(deps.db, weeks, userId, myMs);
  return {
    week_start: weekIn(now, member.timezone, previous).from,
    entries: top.map((row, i) => ({ rank: i + 1, ...line(row) })),
    me: optedIn ? { rank: myRank, ...line({ ...member, focus_ms: myMs }) } : null,
  };
}

async function streaksByPerson(
  deps: Deps,
  now: number,
  people: readonly { id: number; timezone: string }[],
): Promise<Map<number, number>> {
  const since = localDate(now - STREAK_HORIZON_DAYS * DAY_MS, 'UTC');
  const rows = await repo.focusDaysSince(
    deps.db,
    people.map((p) => p.id),
    since,
  );
  const days = new Map<number, Set<string>>();
  for (const row of rows) {
    const set = days.get(Number(row.user_id)) ?? new Set<string>();
    set.add(row.day);
    days.set(Number(row.user_id), set);
  }
  return new Map(people.map((p) => [p.id, streaksOf(days.get(p.id) ?? new Set(), localDate(now, p.timezone)).current]));
}
