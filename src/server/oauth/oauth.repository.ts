import type { Kysely } from 'kysely';
import { lockedOnPostgres } from '../db/dialect.js';
import type { Database, UserIdentityRow } from '../db/schema.js';

type Db = Kysely<Database>;

export function findIdentity(db: Db, provider: string, subject: string): Promise<UserIdentityRow | undefined> {
  return db
    .selectFrom('user_identities')
    .selectAll()
    .where('provider', '=', provider)
    .where('subject', '=', subject)
    .executeTakeFirst();
}

export async function insertIdentity(
  db: Db,
  identity: { provider: string; subject: string; user_id: number; email: string | null; created_at: number },
): Promise<void> {
  await db.insertInto('user_identities').values(identity).execute();
}

export function listIdentities(db: Db, userId: number): Promise<UserIdentityRow[]> {
  return db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

/**
 * The user's identities, locked until the transaction ends (PostgreSQL), so two unlinks at
 * once cannot each count the other's identity as the way in that remains. SQLite runs one
 * transaction at a time anyway.
 */
export function lockIdentities(db: Db, userId: number): Promise<UserIdentityRow[]> {
  const query = db.selectFrom('user_identities').selectAll().where('user_id', '=', userId);
  return lockedOnPostgres(db, query).execute();
}

export async function deleteIdentity(db: Db, userId: number, provider: string): Promise<void> {
  await db.deleteFrom('user_identities').where('user_id', '=', userId).where('provider', '=', provider).execute();
}
