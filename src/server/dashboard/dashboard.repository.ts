import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

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

export async function findTimeZone(db: Db, userId: number): Promise<string> {
  const row = await db.selectFrom('users').select('timezone').where('id', '=', userId).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}
