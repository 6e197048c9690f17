import { sql, type Kysely } from 'kysely';
import type { Database, FocusSessionRow, TimerRow } from '../db/schema.js';
import { setJob } from '../scheduler/jobs.repository.js';
import { localDayShares, type DayShare } from '../shared/local-days.js';
import type { FinishedRun, TimerSnapshot } from './timer.machine.js';

type Db = Kysely<Database>;

/** The user's timer row, created idle on first use. */
export async function findOrCreateTimer(db: Db, userId: number, now: number): Promise<TimerRow> {
  await db
    .insertInto('timers')
    .values({
      user_id: userId,
      state: 'idle',
      run_started_at: null,
      accumulated_ms: 0,
      label: '',
      target_ms: null,
      ended_by: null,
      version: 0,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  return db.selectFrom('timers').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
}

/** The scheduler's job that ends a run at its time (src/server/scheduler). */
export const RUN_END_JOB = 'timer-end';

/**
 * Writes the next state only if nobody changed the timer since `version` was read, and records
 * the finished runs and the time the run ends by itself (`endsAt`, null when not running) in the
 * same transaction. False when another change won the race.
 */
export async function saveTransition(
  db: Db,
  userId: number,
  version: number,
  next: TimerSnapshot,
  finished: readonly FinishedRun[],
  now: number,
  /** When the run ends by itself (the scheduler's job), and whether its end posts a check-in. */
  after: { endsAt: number | null; announced: boolean },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('timers')
      .set({
        state: next.state,
        run_started_at: next.runStartedAt,
        accumulated_ms: next.accumulatedMs,
        label: next.label,
        target_ms: next.targetMs,
        ended_by: next.endedBy,
        announced: after.announced ? 1 : 0,
        version: version + 1,
        updated_at: now,
      })
      .where('user_id', '=', userId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await recordRuns(trx, userId, finished);
    await setJob(trx, RUN_END_JOB, userId, after.endsAt);
    return true;
  });
}

/**
 * Stores finished runs and adds them to the user's focus days, counted in the user's time zone
 * now (kept on each run, so deleting it takes back the same days). Run inside the caller's
 * transaction; tests use it to arrange a history as the timer would record it.
 */
export async function recordRuns(db: Db, userId: number, runs: readonly FinishedRun[]): Promise<void> {
  if (runs.length === 0) return;
  const user = await db.selectFrom('users').select('timezone').where('id', '=', userId).executeTakeFirstOrThrow();
  await db
    .insertInto('focus_sessions')
    .values(
      runs.map((run) => ({
        user_id: userId,
        started_at: run.startedAt,
        ended_at: run.endedAt,
        duration_ms: run.endedAt - run.startedAt,
        label: run.label,
        time_zone: user.timezone,
      })),
    )
    .execute();
  await addToDays(
    db,
    userId,
    runs.flatMap((run) => localDayShares(run.startedAt, run.endedAt, user.timezone)),
    1,
  );
}

/** Adds (sign 1) or takes back (sign -1) day shares; a day left with nothing is removed. */
async function addToDays(db: Db, userId: number, shares: readonly DayShare[], sign: 1 | -1): Promise<void> {
  const byDay = new Map<string, { focusMs: number; runs: number }>();
  for (const share of shares) {
    const day = byDay.get(share.day) ?? { focusMs: 0, runs: 0 };
    day.focusMs += share.focusMs * sign;
    day.runs += share.runs * sign;
    byDay.set(share.day, day);
  }
  for (const [day, { focusMs, runs }] of byDay) {
    await db
      .insertInto('focus_days')
      .values({ user_id: userId, day, focus_ms: focusMs, runs })
      .onConflict((oc) =>
        oc.columns(['user_id', 'day']).doUpdateSet({
          focus_ms: sql`focus_days.focus_ms + excluded.focus_ms`,
          runs: sql`focus_days.runs + excluded.runs`,
        }),
      )
      .execute();
  }
  if (sign < 0) {
    await db
      .deleteFrom('focus_days')
      .where('user_id', '=', userId)
      .where('day', 'in', [...byDay.keys()])
      .where('focus_ms', '<=', 0)
      .where('runs', '<=', 0)
      .execute();
  }
}

export async function findFocusSettings(db: Db, userId: number): Promise<{ shareFocus: boolean; quiet: boolean }> {
  const row = await db
    .selectFrom('users')
    .select(['share_focus', 'quiet_while_focusing'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return { shareFocus: row?.share_focus === 1, quiet: row?.quiet_while_focusing === 1 };
}

export async function isOnLeaderboard(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('users').select('leaderboard').where('id', '=', userId).executeTakeFirst();
  return row?.leaderboard === 1;
}

export interface SessionRange {
  from?: number;
  to?: number;
  limit: number;
}

/** Newest first. */
export function listSessions(db: Db, userId: number, range: SessionRange): Promise<FocusSessionRow[]> {
  let query = db.selectFrom('focus_sessions').selectAll().where('user_id', '=', userId);
  if (range.from !== undefined) query = query.where('ended_at', '>', range.from);
  if (range.to !== undefined) query = query.where('started_at', '<', range.to);
  return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(range.limit).execute();
}

/** Up to `limit` runs recorded after `afterId`, by id: one page of the CSV export. */
export function listSessionsAfter(db: Db, userId: number, afterId: number, limit: number): Promise<FocusSessionRow[]> {
  return db
    .selectFrom('focus_sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function relabelSession(
  db: Db,
  userId: number,
  id: number,
  label: string,
): Promise<FocusSessionRow | undefined> {
  return db
    .updateTable('focus_sessions')
    .set({ label })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the run and takes its share back from the user's focus days, in one transaction. */
export function deleteSession(db: Db, userId: number, id: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .deleteFrom('focus_sessions')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .returning(['started_at', 'ended_at', 'time_zone'])
      .executeTakeFirst();
    if (run === undefined) return false;
    await addToDays(trx, userId, localDayShares(run.started_at, run.ended_at, run.time_zone), -1);
    return true;
  });
}
