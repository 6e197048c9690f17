import type { Kysely } from 'kysely';
import type { Database, TaskRow } from '../db/schema.js';

type Db = Kysely<Database>;

/**
 * Serializes one person's list changes: PostgreSQL locks their user row until the commit (SQLite
 * writes one at a time anyway), so two tabs adding at once cannot both pass the open-goal limit.
 */
export async function lockList(db: Db, userId: number): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', userId)
    .execute();
}

export async function countOpen(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('done_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertTask(db: Db, userId: number, title: string, now: number): Promise<TaskRow> {
  const last = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return db
    .insertInto('tasks')
    .values({ user_id: userId, title, position: Number(last?.position ?? 0) + 1, done_at: null, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findTask(db: Db, userId: number, id: number): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export function updateTask(
  db: Db,
  userId: number,
  id: number,
  changes: { title?: string; done_at?: number | null },
): Promise<TaskRow | undefined> {
  return db
    .updateTable('tasks')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteTask(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('tasks').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Open goals in order, then those ticked since `doneSince`, latest first; each part bounded. */
export async function listTasks(db: Db, userId: number, doneSince: number, limit: number): Promise<TaskRow[]> {
  const [open, done] = await Promise.all([
    db
      .selectFrom('tasks')
      .selectAll()
      .where('user_id', '=', userId)
      .where('done_at', 'is', null)
      .orderBy('position')
      .orderBy('id')
      .limit(limit)
      .execute(),
    db
      .selectFrom('tasks')
      .selectAll()
      .where('user_id', '=', userId)
      .where('done_at', '>=', doneSince)
      .orderBy('done_at', 'desc')
      .limit(limit)
      .execute(),
  ]);
  return [...open, ...done];
}

export async function openIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('tasks')
    .select('id')
    .where('user_id', '=', userId)
    .where('done_at', 'is', null)
    .execute();
  return rows.map((r) => Number(r.id));
}

export async function setPosition(db: Db, userId: number, id: number, position: number): Promise<void> {
  await db.updateTable('tasks').set({ position }).where('id', '=', id).where('user_id', '=', userId).execute();
}

/** Each goal's recorded focus: runs labelled with its title that started after it was added. One query. */
export async function focusOfTasks(db: Db, userId: number, tasks: readonly TaskRow[]): Promise<number[]> {
  if (tasks.length === 0) return [];
  const since = Math.min(...tasks.map((t) => t.created_at));
  const row = await db
    .selectFrom('focus_sessions')
    .select((eb) =>
      tasks.map((task, i) =>
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('label', '=', task.title), eb('started_at', '>=', task.created_at)]))
              .then(eb.ref('duration_ms'))
              .else(0)
              .end(),
          )
          .as(`t${i}`),
      ),
    )
    .where('user_id', '=', userId)
    .where('label', 'in', [...new Set(tasks.map((t) => t.title))])
    .where('started_at', '>=', since)
    .executeTakeFirstOrThrow();
  const sums = row as Record<string, unknown>;
  return tasks.map((_, i) => Number(sums[`t${i}`] ?? 0));
}
