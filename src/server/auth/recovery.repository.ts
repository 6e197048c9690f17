import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

export async function insertReset(
  db: Db,
  reset: { token_hash: string; user_id: number; created_at: number; expires_at: number },
): Promise<void> {
  await db.insertInto('password_resets').values(reset).execute();
}

/** The user of a live (unused, unexpired) token, without using it. */
export async function findLiveReset(db: Db, tokenHash: string, now: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.user_id);
}

/** Uses the token, once: of two requests racing with it only one gets the user back. */
export async function useReset(db: Db, tokenHash: string, now: number): Promise<number | undefined> {
  const row = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.user_id);
}

/** After a reset every other link of the user stops working too. */
export async function useAllResetsOf(db: Db, userId: number, now: number): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

export async function deleteExpiredResets(db: Db, now: number): Promise<void> {
  await db.deleteFrom('password_resets').where('expires_at', '<=', now).execute();
}
