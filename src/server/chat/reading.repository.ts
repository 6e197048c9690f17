import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

export async function findLastRead(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('chat_reads').select('last_read_id').where('user_id', '=', userId).executeTakeFirst();
  return Number(row?.last_read_id ?? 0);
}

/** Moves the read position forward (never back); true when it moved. */
export async function advanceLastRead(db: Db, userId: number, lastReadId: number, now: number): Promise<boolean> {
  const result = await db
    .insertInto('chat_reads')
    .values({ user_id: userId, last_read_id: lastReadId, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ last_read_id: (eb) => eb.ref('excluded.last_read_id'), updated_at: now })
        .where('chat_reads.last_read_id', '<', (eb) => eb.ref('excluded.last_read_id')),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Others' live messages after `afterId`, counted up to `cap` (an index range on the id, stopped at the cap). */
export async function countUnread(db: Db, userId: number, afterId: number, cap: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('messages')
        .select(sql<number>`1`.as('one'))
        .where('id', '>', afterId)
        .where('deleted_at', 'is', null)
        .where('user_id', '<>', userId)
        .limit(cap)
        .as('unread'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Live messages after `afterId` that mention the user, counted up to `cap`. */
export async function countMentions(db: Db, userId: number, afterId: number, cap: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('message_mentions')
        .innerJoin('messages', 'messages.id', 'message_mentions.message_id')
        .select(sql<number>`1`.as('one'))
        .where('message_mentions.user_id', '=', userId)
        .where('message_mentions.message_id', '>', afterId)
        .where('messages.deleted_at', 'is', null)
        .limit(cap)
        .as('mentioned'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ids of live messages that mention the user, newest first, one more than `limit`. */
export async function listMentionIds(db: Db, userId: number, before: number | undefined, limit: number) {
  let query = db
    .selectFrom('message_mentions')
    .innerJoin('messages', 'messages.id', 'message_mentions.message_id')
    .select('message_mentions.message_id as id')
    .where('message_mentions.user_id', '=', userId)
    .where('messages.deleted_at', 'is', null);
  if (before !== undefined) query = query.where('message_mentions.message_id', '<', before);
  const rows = await query
    .orderBy('message_mentions.message_id', 'desc')
    .limit(limit + 1)
    .execute();
  return rows.map((row) => Number(row.id));
}

/** Enabled accounts with these usernames (lower-case), for mentions. */
export async function findUserIdsByUsernames(db: Db, usernames: readonly string[]): Promise<number[]> {
  if (usernames.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(username)`, 'in', usernames)
    .where('disabled', '=', 0)
    .execute();
  return rows.map((row) => Number(row.id));
}
