import { sql, type Kysely } from 'kysely';
import type { Database, NewUserRow, UserRow } from '../db/schema.js';

type Db = Kysely<Database>;

export function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function insertUser(db: Db, user: NewUserRow): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function deleteUser(db: Db, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/** Usernames that start with `base` (case-insensitive), to pick a free numeric suffix. */
export async function findUsernamesStartingWith(db: Db, base: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('username')
    .where(sql<string>`lower(username)`, 'like', `${base}%`)
    .execute();
  return rows.flatMap((r) => (r.username === null ? [] : [r.username]));
}

export async function updatePasswordHash(db: Db, id: number, passwordHash: string, now: number): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).execute();
}

/** Sets a new password and invalidates every token issued so far, in one statement. */
export async function replacePassword(db: Db, id: number, passwordHash: string, now: number): Promise<number> {
  const row = await db
    .updateTable('users')
    .set((eb) => ({ password_hash: passwordHash, token_version: eb('token_version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .returning('token_version')
    .executeTakeFirstOrThrow();
  return row.token_version;
}

/** Invalidates every token issued so far; returns the new version. */
export async function bumpTokenVersion(db: Db, id: number, now: number): Promise<number> {
  const row = await db
    .updateTable('users')
    .set((eb) => ({ token_version: eb('token_version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .returning('token_version')
    .executeTakeFirstOrThrow();
  return row.token_version;
}

/**
 * Makes this new user the admin when nobody else has an account. Inside the transaction that
 * created them: of several registering at once on an empty instance, each sees only itself, and
 * the one-row `first_admin` table lets exactly one of them through (the others wait for it, then
 * do nothing).
 */
export async function promoteIfFirst(db: Db, userId: number, now: number): Promise<boolean> {
  const claimed = await sql`
    insert into first_admin (slot, user_id, created_at)
    select 1, cast(${userId} as bigint), cast(${now} as bigint)
    where not exists (select 1 from users where id <> ${userId})
    on conflict (slot) do nothing`.execute(db);
  if (Number(claimed.numAffectedRows ?? 0) !== 1) return false;
  await db.updateTable('users').set({ role: 'admin' }).where('id', '=', userId).execute();
  return true;
}

export async function touchLastSeen(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('users').set({ last_seen_at: now }).where('id', '=', id).execute();
}

/** Ids named per statement by the sockets' session re-check (SQLite takes 32,766 parameters at most, PostgreSQL 65,535). */
const SESSION_BATCH = 500;

function enabledAmong(db: Db, ids: readonly number[]) {
  return db
    .selectFrom('users')
    .select(['id', 'token_version', 'role'])
    .where('id', 'in', ids)
    .where('disabled', '=', 0)
    .execute();
}

/** The enabled users among `ids`, however many people are online: SESSION_BATCH ids per statement. */
export async function findActiveSessions(db: Db, ids: readonly number[]) {
  const rows: Awaited<ReturnType<typeof enabledAmong>> = [];
  for (let start = 0; start < ids.length; start += SESSION_BATCH) {
    const batch = ids.slice(start, start + SESSION_BATCH);
    // Padded with its own first id: every batch is the same statement, prepared once and kept.
    while (batch.length < SESSION_BATCH) batch.push(batch[0]!);
    rows.push(...(await enabledAmong(db, batch)));
  }
  return rows;
}
