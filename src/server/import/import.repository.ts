import { sql, type Kysely } from 'kysely';
import type { Database, LegacyIdsTable, LegacyMessageStagingTable, NewUserRow, UserRow } from '../db/schema.js';

type Db = Kysely<Database>;
type Kind = LegacyIdsTable['kind'];

/** Which of these legacy ids were imported already. */
export async function importedLegacyIds(db: Db, kind: Kind, legacyIds: readonly string[]): Promise<Set<string>> {
  if (legacyIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('legacy_ids')
    .select('legacy_id')
    .where('kind', '=', kind)
    .where('legacy_id', 'in', [...legacyIds])
    .execute();
  return new Set(rows.map((row) => row.legacy_id));
}

/** Which of these new ids an import created (rather than someone registering here). */
export async function importedNewIds(db: Db, kind: Kind, newIds: readonly number[]): Promise<Set<number>> {
  if (newIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('legacy_ids')
    .select('new_id')
    .where('kind', '=', kind)
    .where('new_id', 'in', [...newIds])
    .execute();
  return new Set(rows.map((row) => Number(row.new_id)));
}

export async function recordLegacyIds(
  db: Db,
  kind: Kind,
  mappings: readonly { legacyId: string; newId: number }[],
): Promise<void> {
  if (mappings.length === 0) return;
  await db
    .insertInto('legacy_ids')
    .values(mappings.map((m) => ({ kind, legacy_id: m.legacyId, new_id: m.newId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function findUsersByEmail(
  db: Db,
  emails: readonly string[],
): Promise<Map<string, Pick<UserRow, 'id' | 'created_at'>>> {
  if (emails.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'created_at'])
    .where('email', 'in', [...emails])
    .execute();
  return new Map(rows.map((row) => [row.email, { id: Number(row.id), created_at: Number(row.created_at) }]));
}

/** Which of these usernames (lower-cased) another account has, ignoring case. */
export async function usernamesInUse(db: Db, lowerCased: readonly string[]): Promise<Set<string>> {
  if (lowerCased.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select(sql<string>`lower(username)`.as('name'))
    // `is not null` lets both databases use the partial unique index on lower(username).
    .where('username', 'is not', null)
    .where(sql<string>`lower(username)`, 'in', [...lowerCased])
    .execute();
  return new Set(rows.map((row) => row.name));
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

/** Inserts the users in one statement; returns each new id by email. */
export async function insertUsers(db: Db, users: readonly NewUserRow[]): Promise<Map<string, number>> {
  if (users.length === 0) return new Map();
  const rows = await db
    .insertInto('users')
    .values([...users])
    .returning(['id', 'email'])
    .execute();
  return new Map(rows.map((row) => [row.email, Number(row.id)]));
}

export async function updateUser(db: Db, id: number, user: Omit<NewUserRow, 'email' | 'username'>): Promise<void> {
  await db.updateTable('users').set(user).where('id', '=', id).execute();
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
