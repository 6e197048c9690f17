import { sql, type Kysely } from 'kysely';
import type { Database, LegacyIdsTable, LegacyMessageStagingTable, NewUserRow, UserRow } from '../db/schema.js';

type Db = Kysely<Database>;
type Kind = LegacyIdsTable['kind'];

export function findNewId(db: Db, kind: Kind, legacyId: string): Promise<number | undefined> {
  return db
    .selectFrom('legacy_ids')
    .select('new_id')
    .where('kind', '=', kind)
    .where('legacy_id', '=', legacyId)
    .executeTakeFirst()
    .then((row) => (row === undefined ? undefined : Number(row.new_id)));
}

export async function wasImported(db: Db, kind: Kind, newId: number): Promise<boolean> {
  const row = await db
    .selectFrom('legacy_ids')
    .select('new_id')
    .where('kind', '=', kind)
    .where('new_id', '=', newId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordLegacyId(db: Db, kind: Kind, legacyId: string, newId: number): Promise<void> {
  await db
    .insertInto('legacy_ids')
    .values({ kind, legacy_id: legacyId, new_id: newId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function findUserByEmail(db: Db, email: string): Promise<Pick<UserRow, 'id' | 'created_at'> | undefined> {
  return db.selectFrom('users').select(['id', 'created_at']).where('email', '=', email).executeTakeFirst();
}

/** Whether another account has this username, ignoring case. */
export async function usernameInUse(db: Db, username: string, exceptId = 0): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    // `is not null` lets both databases use the partial unique index on lower(username).
    .where('username', 'is not', null)
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertUser(db: Db, user: NewUserRow): Promise<number> {
  const row = await db.insertInto('users').values(user).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateUser(db: Db, id: number, user: Omit<NewUserRow, 'email' | 'username'>): Promise<void> {
  await db.updateTable('users').set(user).where('id', '=', id).execute();
}

export async function setUsername(db: Db, id: number, username: string): Promise<void> {
  await db.updateTable('users').set({ username }).where('id', '=', id).execute();
}

export async function stageMessages(db: Db, rows: readonly LegacyMessageStagingTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('legacy_message_staging')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export interface StagedOutcome {
  alreadyImported: number;
  unknownSenders: { email: string; count: number }[];
  unknownSenderMessages: number;
}

/** Finds each staged message's sender and drops those a previous import brought over. */
export async function resolveStaged(db: Db, maxSendersListed: number): Promise<StagedOutcome> {
  const already = await db
    .deleteFrom('legacy_message_staging')
    .where('legacy_id', 'in', (eb) => eb.selectFrom('legacy_ids').select('legacy_id').where('kind', '=', 'message'))
    .executeTakeFirst();
  await sql`update legacy_message_staging set user_id =
    (select u.id from users u where u.email = legacy_message_staging.sender_email)`.execute(db);
  const unknown = await db
    .selectFrom('legacy_message_staging')
    .select(['sender_email', (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('user_id', 'is', null)
    .groupBy('sender_email')
    .orderBy('sender_email')
    .execute();
  return {
    alreadyImported: Number(already.numDeletedRows),
    unknownSenders: unknown.slice(0, maxSendersListed).map((r) => ({ email: r.sender_email, count: Number(r.count) })),
    unknownSenderMessages: unknown.reduce((sum, r) => sum + Number(r.count), 0),
  };
}

/**
 * Gives the staged messages of known senders the next ids of the chat sequence in time order,
 * writes them (replies pointing at the new ids), records the mapping and empties the staging.
 * Returns how many were written and how many of them are replies to a message found.
 */
export async function writeStagedMessages(db: Db): Promise<{ written: number; replies: number }> {
  const { count } = await db
    .selectFrom('legacy_message_staging')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('user_id', 'is not', null)
    .executeTakeFirstOrThrow();
  const written = Number(count);
  if (written === 0) {
    await db.deleteFrom('legacy_message_staging').execute();
    return { written: 0, replies: 0 };
  }
  // The sequence row's lock is held until commit, as for every message (decision 0006).
  const { last_id } = await db
    .updateTable('chat_sequence')
    .set((eb) => ({ last_id: eb('last_id', '+', written) }))
    .where('name', '=', 'messages')
    .returning('last_id')
    .executeTakeFirstOrThrow();
  const base = sql.lit(Number(last_id) - written);
  await sql`update legacy_message_staging set new_id = ${base} + numbered.n
    from (select legacy_id, row_number() over (order by created_at, legacy_id) as n
          from legacy_message_staging where user_id is not null) as numbered
    where legacy_message_staging.legacy_id = numbered.legacy_id`.execute(db);
  await sql`insert into messages (id, user_id, content, reply_to_id, client_id, created_at, edited_at, deleted_at)
    select s.new_id, s.user_id, s.content, coalesce(target.new_id, earlier.new_id), null, s.created_at, null,
           case when s.deleted = 1 then s.created_at else null end
    from legacy_message_staging s
    left join legacy_message_staging target on target.legacy_id = s.reply_to_legacy_id
    left join legacy_ids earlier on earlier.kind = 'message' and earlier.legacy_id = s.reply_to_legacy_id
    where s.new_id is not null
    order by s.new_id`.execute(db);
  await sql`insert into legacy_ids (kind, legacy_id, new_id)
    select 'message', legacy_id, new_id from legacy_message_staging where new_id is not null`.execute(db);
  const replies = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('id', '>', Number(last_id) - written)
    .where('id', '<=', Number(last_id))
    .where('reply_to_id', 'is not', null)
    .executeTakeFirstOrThrow();
  await db.deleteFrom('legacy_message_staging').execute();
  return { written, replies: Number(replies.count) };
}
