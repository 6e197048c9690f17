import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

/** Local days `from`–`to` (inclusive, `YYYY-MM-DD`) count for the people whose zone is in `zones`. */
export interface WeekDays {
  from: string;
  to: string;
  zones: readonly string[];
}

export interface WeeklyTotal {
  id: number;
  username: string | null;
  display_name: string | null;
  timezone: string;
  focus_ms: number;
}

/** The time zones of the people who opted in: at most as many as the zone database has. */
export async function optedInZones(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('users').select('timezone').distinct().where('leaderboard', '=', 1).execute();
  return rows.map((r) => r.timezone);
}

/** Each opted-in, enabled person's focus on the days of their own week, only those with some. */
function weeklyTotals(db: Db, weeks: readonly WeekDays[]) {
  return db
    .selectFrom('focus_days')
    .innerJoin('users', 'users.id', 'focus_days.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.timezone'])
    .select((eb) => eb.fn.sum<number>('focus_days.focus_ms').as('focus_ms'))
    .where('users.leaderboard', '=', 1)
    .where('users.disabled', '=', 0)
    .where((eb) =>
      eb.or(
        weeks.map((w): Expression<SqlBool> =>
          eb.and([
            eb('focus_days.day', '>=', w.from),
            eb('focus_days.day', '<=', w.to),
            eb('users.timezone', 'in', [...w.zones]),
          ]),
        ),
      ),
    )
    .groupBy(['users.id', 'users.username', 'users.display_name', 'users.timezone'])
    .having((eb) => eb.fn.sum('focus_days.focus_ms'), '>', 0);
}

/** The top `limit`, most focus first; equal focus in id order (who joined first). */
export async function topWeekly(db: Db, weeks: readonly WeekDays[], limit: number): Promise<WeeklyTotal[]> {
  if (weeks.length === 0) return [];
  const rows = await weeklyTotals(db, weeks)
    .orderBy('focus_ms', 'desc')
    .orderBy('users.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, focus_ms: Number(r.focus_ms) }));
}

/** One person's total, when they have one. */
export async function weeklyTotalOf(db: Db, weeks: readonly WeekDays[], userId: number): Promise<number> {
  if (weeks.length === 0) return 0;
  const row = await weeklyTotals(db, weeks).where('users.id', '=', userId).executeTakeFirst();
  return Number(row?.focus_ms ?? 0);
}

/** One person's place by the same order: 1 + those ahead of them. */
export async function rankOf(db: Db, weeks: readonly WeekDays[], userId: number, focusMs: number): Promise<number> {
  const row = await db
    .selectFrom(weeklyTotals(db, weeks).as('w'))
    .select((eb) => eb.fn.countAll<number>().as('ahead'))
    .where((eb) =>
      eb.or([
        eb('w.focus_ms', '>', sql.lit(focusMs)),
        eb.and([eb('w.focus_ms', '=', sql.lit(focusMs)), eb('w.id', '<', userId)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.ahead) + 1;
}

/** These people's days with focus since `since` (`YYYY-MM-DD`), for their streaks. */
export async function focusDaysSince(db: Db, userIds: readonly number[], since: string) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('focus_days')
    .select(['user_id', 'day'])
    .where('user_id', 'in', [...userIds])
    .where('day', '>=', since)
    .where('focus_ms', '>', 0)
    .execute();
}

export function findMember(db: Db, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'timezone', 'leaderboard'])
    .where('id', '=', userId)
    .executeTakeFirst();
}
