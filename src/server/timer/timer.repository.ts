import type { Kysely } from 'kysely';
import type { Database, FocusSessionRow, TimerRow } from '../db/schema.js';
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

/**
 * Writes the next state only if nobody changed the timer since `version` was read, and records
 * the finished runs in the same transaction. False when another change won the race.
 */
export async function saveTransition(
  db: Db,
  userId: number,
  version: number,
  next: TimerSnapshot,
  finished: readonly FinishedRun[],
  now: number,
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
        version: version + 1,
        updated_at: now,
      })
      .where('user_id', '=', userId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    if (finished.length > 0) {
      await trx
        .insertInto('focus_sessions')
        .values(
          finished.map((run) => ({
            user_id: userId,
            started_at: run.startedAt,
            ended_at: run.endedAt,
            duration_ms: run.endedAt - run.startedAt,
            label: run.label,
          })),
        )
        .execute();
    }
    return true;
  });
}

export async function findShareFocus(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('users').select('share_focus').where('id', '=', userId).executeTakeFirst();
  return row?.share_focus === 1;
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

export async function deleteSession(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('focus_sessions')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
