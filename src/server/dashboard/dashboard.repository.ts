import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

/**
 * No run lasts longer than MAX_RUN_HOURS (at most 24): a run that overlaps a window therefore
 * started less than this before it, which lets the started_at index bound every overlap query.
 */
const LONGEST_RUN_MS = 24 * 3_600_000;

export async function countUsers(db: Db, seenSince: number, joinedSince: number) {
  const row = await db
    .selectFrom('users')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('id').filterWhere('last_seen_at', '>=', seenSince).as('active'),
      eb.fn.count<number>('id').filterWhere('created_at', '>=', joinedSince).as('joined'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), active: Number(row.active), joined: Number(row.joined) };
}

export async function countRunningTimers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('timers')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('state', '=', 'running')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Live messages since `since`: the caller's day, or one user's all time. */
export async function countMessages(db: Db, since: number, userId?: number): Promise<number> {
  let query = db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('deleted_at', 'is', null)
    .where('created_at', '>=', since);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * `min(end, to) - max(start, from)`, written with CASE so both dialects read it. The bounds are
 * our own integers, inlined as literals so PostgreSQL types them as numbers, not text.
 */
function overlap(start: 'started_at' | 'run_started_at', end: number | 'ended_at', from: number, to: number) {
  const endRef = typeof end === 'string' ? sql.ref(end) : sql.lit(Math.trunc(end));
  const [lo, hi] = [sql.lit(Math.trunc(from)), sql.lit(Math.trunc(to))];
  return sql<number>`(case when ${endRef} < ${hi} then ${endRef} else ${hi} end) - (case when ${sql.ref(start)} > ${lo} then ${sql.ref(start)} else ${lo} end)`;
}

/**
 * Focus time within [from, to): recorded runs cut at the window's edges (a run across midnight
 * counts on both days), plus the running runs up to `now`. One user, or everyone.
 */
export async function focusMsBetween(db: Db, from: number, to: number, now: number, userId?: number): Promise<number> {
  let recorded = db
    .selectFrom('focus_sessions')
    .select(sql<number>`coalesce(sum(${overlap('started_at', 'ended_at', from, to)}), 0)`.as('ms'))
    .where('started_at', '<', to)
    .where('started_at', '>', from - LONGEST_RUN_MS)
    .where('ended_at', '>', from);
  if (userId !== undefined) recorded = recorded.where('user_id', '=', userId);
  let running = db
    .selectFrom('timers')
    .select(sql<number>`coalesce(sum(${overlap('run_started_at', now, from, to)}), 0)`.as('ms'))
    .where('state', '=', 'running')
    .where('run_started_at', '<', Math.min(to, now));
  if (userId !== undefined) running = running.where('user_id', '=', userId);
  const [a, b] = await Promise.all([recorded.executeTakeFirstOrThrow(), running.executeTakeFirstOrThrow()]);
  return Number(a.ms) + Math.max(0, Number(b.ms));
}

/** Per-day sums for one user: focus ms (runs cut at day edges) and messages, in one query each. */
export async function dailyActivity(db: Db, userId: number, boundaries: readonly number[]) {
  const days = boundaries.slice(0, -1).map((from, i) => ({ from, to: boundaries[i + 1] ?? from }));
  const first = boundaries[0] ?? 0;
  const last = boundaries[boundaries.length - 1] ?? 0;
  const inDay = (from: number, to: number): Expression<SqlBool> =>
    sql<SqlBool>`ended_at > ${sql.lit(from)} and started_at < ${sql.lit(to)}`;

  const focusRow = await db
    .selectFrom('focus_sessions')
    .select(
      days.map(({ from, to }, i) =>
        sql<number>`coalesce(sum(case when ${inDay(from, to)} then ${overlap('started_at', 'ended_at', from, to)} else 0 end), 0)`.as(
          `d${i}`,
        ),
      ),
    )
    .where('user_id', '=', userId)
    .where('started_at', '<', last)
    .where('started_at', '>', first - LONGEST_RUN_MS)
    .where('ended_at', '>', first)
    .executeTakeFirstOrThrow();

  const messageRow = await db
    .selectFrom('messages')
    .select(
      days.map(({ from, to }, i) =>
        sql<number>`coalesce(sum(case when created_at >= ${sql.lit(from)} and created_at < ${sql.lit(to)} then 1 else 0 end), 0)`.as(
          `d${i}`,
        ),
      ),
    )
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('created_at', '>=', first)
    .where('created_at', '<', last)
    .executeTakeFirstOrThrow();

  const focus = focusRow as Record<string, unknown>;
  const messages = messageRow as Record<string, unknown>;
  return days.map((_, i) => ({ focusMs: Number(focus[`d${i}`] ?? 0), messages: Number(messages[`d${i}`] ?? 0) }));
}

/**
 * The user's local days with focus in them, oldest first, and the all-time sums, from the days
 * kept as runs are recorded (migration 0011): as many rows as days, not as runs.
 */
export async function focusDays(db: Db, userId: number) {
  const rows = await db
    .selectFrom('focus_days')
    .select(['day', 'focus_ms', 'runs'])
    .where('user_id', '=', userId)
    .orderBy('day')
    .execute();
  return {
    days: rows.filter((r) => Number(r.focus_ms) > 0).map((r) => r.day),
    totalMs: rows.reduce((sum, r) => sum + Number(r.focus_ms), 0),
    runs: rows.reduce((sum, r) => sum + Number(r.runs), 0),
  };
}

export async function findUser(db: Db, userId: number) {
  return db.selectFrom('users').select(['email', 'timezone', 'created_at']).where('id', '=', userId).executeTakeFirst();
}
