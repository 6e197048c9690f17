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

export async function setDisabled(db: Db, id: number, disabled: boolean, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ disabled: disabled ? 1 : 0, token_version: eb('token_version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .execute();
}

export async function setRole(db: Db, id: number, role: UserRow['role'], now: number): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: now }).where('id', '=', id).execute();
}

export async function touchLastSeen(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('users').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export function findActiveTokenVersions(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'token_version'])
    .where('id', 'in', ids)
    .where('disabled', '=', 0)
    .execute();
}
