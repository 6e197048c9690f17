import type { Kysely } from 'kysely';
import type { Database, UserRow, UserUpdate } from '../db/schema.js';

type Db = Kysely<Database>;

export function findProfile(db: Db, userId: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export async function updateProfile(db: Db, userId: number, changes: UserUpdate): Promise<UserRow> {
  return db.updateTable('users').set(changes).where('id', '=', userId).returningAll().executeTakeFirstOrThrow();
}
