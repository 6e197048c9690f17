import type { Kysely } from 'kysely';
import type { Database, SprintRow, SprintStateName } from '../db/schema.js';
import { setJob } from '../scheduler/jobs.repository.js';

type Db = Kysely<Database>;

/** The scheduler's job that moves a sprint to its next state on time. */
export const SPRINT_JOB = 'sprint';
export const OPEN_STATES: readonly SprintStateName[] = ['scheduled', 'running', 'break'];

export interface NewSprint {
  creator_id: number;
  label: string;
  focus_ms: number;
  break_ms: number;
  starts_at: number;
  created_at: number;
}

/** Stores a scheduled sprint, with the creator in it and its start on the scheduler, in one transaction. */
export function insertSprint(db: Db, sprint: NewSprint): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('sprints')
      .values({ ...sprint, state: 'scheduled', message_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sprintId = Number(id);
    await trx
      .insertInto('sprint_participants')
      .values({ sprint_id: sprintId, user_id: sprint.creator_id, joined_at: sprint.created_at, left_at: null })
      .execute();
    await setJob(trx, SPRINT_JOB, sprintId, sprint.starts_at);
    return sprintId;
  });
}

export async function setMessage(db: Db, id: number, messageId: number): Promise<void> {
  await db.updateTable('sprints').set({ message_id: messageId }).where('id', '=', id).execute();
}

export function findSprint(db: Db, id: number): Promise<SprintRow | undefined> {
  return db.selectFrom('sprints').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByMessage(db: Db, messageId: number): Promise<SprintRow | undefined> {
  return db.selectFrom('sprints').selectAll().where('message_id', '=', messageId).executeTakeFirst();
}

/** Open sprints, soonest first. */
export function listOpen(db: Db, limit: number): Promise<SprintRow[]> {
  return db
    .selectFrom('sprints')
    .selectAll()
    .where('state', 'in', OPEN_STATES)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Moves a sprint from one state to the next, with its next due time on the scheduler, only if it
 * is still in `from`: of two instances (or a request and the scheduler) exactly one does it.
 */
export function transition(
  db: Db,
  id: number,
  from: SprintStateName,
  to: SprintStateName,
  dueAt: number | null,
  totalFocusMs?: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('sprints')
      .set(totalFocusMs === undefined ? { state: to } : { state: to, total_focus_ms: totalFocusMs })
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await setJob(trx, SPRINT_JOB, id, dueAt);
    return true;
  });
}

export interface ParticipantRow {
  sprint_id: number;
  user_id: number;
  username: string | null;
  display_name: string | null;
  joined_at: number;
}

/** The people in these sprints now (not those who left, nor disabled accounts), by joining time. */
export async function activeParticipants(db: Db, sprintIds: readonly number[]): Promise<ParticipantRow[]> {
  if (sprintIds.length === 0) return [];
  const rows = await db
    .selectFrom('sprint_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.sprint_id', 'p.user_id', 'u.username', 'u.display_name', 'p.joined_at'])
    .where('p.sprint_id', 'in', sprintIds)
    .where('p.left_at', 'is', null)
    .where('u.disabled', '=', 0)
    .orderBy('p.joined_at')
    .orderBy('p.user_id')
    .execute();
  return rows.map((r) => ({ ...r, sprint_id: Number(r.sprint_id), user_id: Number(r.user_id) }));
}

export async function countActive(db: Db, sprintId: number): Promise<number> {
  const row = await db
    .selectFrom('sprint_participants')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('sprint_id', '=', sprintId)
    .where('left_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everyone who was in the sprint once it ran, including those who left: their focus counts. */
export async function everyParticipantId(db: Db, sprintId: number): Promise<number[]> {
  const rows = await db.selectFrom('sprint_participants').select('user_id').where('sprint_id', '=', sprintId).execute();
  return rows.map((r) => Number(r.user_id));
}

/** The open sprint the user is in, other than `exceptId`, if any. */
export async function openSprintOf(db: Db, userId: number, exceptId: number): Promise<SprintRow | undefined> {
  return db
    .selectFrom('sprints as s')
    .innerJoin('sprint_participants as p', 'p.sprint_id', 's.id')
    .selectAll('s')
    .where('p.user_id', '=', userId)
    .where('p.left_at', 'is', null)
    .where('s.state', 'in', OPEN_STATES)
    .where('s.id', '!=', exceptId)
    .executeTakeFirst();
}

export async function isActiveParticipant(db: Db, sprintId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('sprint_participants')
    .select('user_id')
    .where('sprint_id', '=', sprintId)
    .where('user_id', '=', userId)
    .where('left_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds the user (again, if they had left). */
export async function join(db: Db, sprintId: number, userId: number, now: number): Promise<void> {
  await db
    .insertInto('sprint_participants')
    .values({ sprint_id: sprintId, user_id: userId, joined_at: now, left_at: null })
    .onConflict((oc) => oc.columns(['sprint_id', 'user_id']).doUpdateSet({ joined_at: now, left_at: null }))
    .execute();
}

/** Before the start the row goes; after it the row stays with `left_at`, so their focus still counts. */
export async function leave(db: Db, sprintId: number, userId: number, now: number, started: boolean): Promise<void> {
  if (started) {
    await db
      .updateTable('sprint_participants')
      .set({ left_at: now })
      .where('sprint_id', '=', sprintId)
      .where('user_id', '=', userId)
      .execute();
  } else {
    await db
      .deleteFrom('sprint_participants')
      .where('sprint_id', '=', sprintId)
      .where('user_id', '=', userId)
      .execute();
  }
}

/** How much of the users' recorded focus lies inside [from, to). */
export async function focusInside(db: Db, userIds: readonly number[], from: number, to: number): Promise<number> {
  if (userIds.length === 0) return 0;
  const rows = await db
    .selectFrom('focus_sessions')
    .select(['started_at', 'ended_at'])
    .where('user_id', 'in', userIds)
    .where('ended_at', '>', from)
    .where('started_at', '<', to)
    .limit(10_000)
    .execute();
  return rows.reduce(
    (sum, r) => sum + Math.max(0, Math.min(Number(r.ended_at), to) - Math.max(Number(r.started_at), from)),
    0,
  );
}

/** Names of these users, by id. */
export async function people(
  db: Db,
  userIds: readonly number[],
): Promise<Map<number, { username: string | null; display_name: string | null }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r]));
}
