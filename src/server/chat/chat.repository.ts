import type { Kysely } from 'kysely';
import type { MessageType } from '../../protocol/chat.js';
import { isSqlite } from '../db/dialect.js';
import { prepared } from '../db/prepared.js';
import type { Database, MessageRow } from '../db/schema.js';
import { readTotal } from '../db/totals.js';

type Db = Kysely<Database>;

/** A message with its sender's current names. */
export type MessageWithSender = MessageRow & { username: string | null; display_name: string | null };

function selectMessages(db: Db) {
  return db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.user_id')
    .select([
      'messages.id',
      'messages.user_id',
      'messages.content',
      'messages.message_type',
      'messages.reply_to_id',
      'messages.client_id',
      'messages.created_at',
      'messages.edited_at',
      'messages.deleted_at',
      'users.username',
      'users.display_name',
    ]);
}

export function findMessage(db: Db, id: number): Promise<MessageWithSender | undefined> {
  return selectMessages(db).where('messages.id', '=', id).executeTakeFirst();
}

export function findMessagesByIds(db: Db, ids: readonly number[]): Promise<MessageWithSender[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return selectMessages(db).where('messages.id', 'in', ids).execute();
}

/**
 * The id of the user's message sent with this `client_id`, if any: the retry check before every
 * send, answered from the `(user_id, client_id)` index alone (no join, no row read).
 */
export async function findMessageIdByClientId(db: Db, userId: number, clientId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('user_id', '=', userId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}

export interface ListWindow {
  /** Older than this id, newest first. */
  before?: number;
  /** Newer than this id, oldest first. */
  after?: number;
  offset?: number;
  limit: number;
}

/** Live (not deleted) messages in one window; one row more than `limit` tells whether more exist. */
export function listMessages(db: Db, window: ListWindow): Promise<MessageWithSender[]> {
  let query = selectMessages(db).where('messages.deleted_at', 'is', null);
  if (window.before !== undefined) query = query.where('messages.id', '<', window.before);
  if (window.after !== undefined) query = query.where('messages.id', '>', window.after);
  return query
    .orderBy('messages.id', window.after !== undefined ? 'asc' : 'desc')
    .limit(window.limit + 1)
    .offset(window.offset ?? 0)
    .execute();
}

export async function countLiveMessages(db: Db): Promise<number> {
  return (await readTotal(db, 'live_messages')).count;
}

export async function lastMessageIdBefore(db: Db, epochMs: number): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max<number | null>('id').as('id'))
    .where('created_at', '<', epochMs)
    .executeTakeFirstOrThrow();
  return Number(row.id ?? 0);
}

export async function lastMessageId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('chat_sequence')
    .select('last_id')
    .where('name', '=', 'messages')
    .executeTakeFirstOrThrow();
  return Number(row.last_id);
}

export interface NewMessage {
  user_id: number;
  content: string;
  reply_to_id: number | null;
  client_id: string | null;
  created_at: number;
  message_type?: MessageType;
}

// Every chat send runs these two: built once (`prepared`).
const takeNextId = prepared((db: Db) =>
  db
    .updateTable('chat_sequence')
    .set((eb) => ({ last_id: eb('last_id', '+', 1) }))
    .where('name', '=', 'messages')
    .returning('last_id'),
);
const insertRow = prepared(
  (
    db: Db,
    id: number,
    userId: number,
    content: string,
    messageType: MessageType,
    replyToId: number | null,
    clientId: string | null,
    createdAt: number,
  ) =>
    db.insertInto('messages').values({
      id,
      user_id: userId,
      content,
      message_type: messageType,
      reply_to_id: replyToId,
      client_id: clientId,
      created_at: createdAt,
    }),
);

/**
 * Takes the next id under the sequence row's lock and inserts it with its mentions, then runs
 * `alsoStore` with the new id, in one transaction.
 */
export async function insertMessage(
  db: Db,
  message: NewMessage,
  mentionedUserIds: readonly number[] = [],
  alsoStore?: (trx: Db, id: number) => Promise<void>,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await trx.executeQuery(takeNextId(db));
    const id = Number(rows[0]!.last_id);
    const { user_id, content, message_type = 'text', reply_to_id, client_id, created_at } = message;
    await trx.executeQuery(insertRow(db, id, user_id, content, message_type, reply_to_id, client_id, created_at));
    await insertMentions(trx, id, mentionedUserIds);
    await alsoStore?.(trx, id);
    return id;
  });
}

/** New text and who it mentions now, in one transaction. */
export async function updateContent(
  db: Db,
  id: number,
  content: string,
  editedAt: number,
  mentionedUserIds: readonly number[] = [],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('messages').set({ content, edited_at: editedAt }).where('id', '=', id).execute();
    await trx.deleteFrom('message_mentions').where('message_id', '=', id).execute();
    await insertMentions(trx, id, mentionedUserIds);
  });
}

async function insertMentions(db: Db, messageId: number, userIds: readonly number[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto('message_mentions')
    .values([...new Set(userIds)].map((userId) => ({ user_id: userId, message_id: messageId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function softDelete(db: Db, id: number, deletedAt: number): Promise<void> {
  await db
    .updateTable('messages')
    .set({ deleted_at: deletedAt })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .execute();
}

export function findReactions(db: Db, messageIds: readonly number[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('message_reactions')
    .select(['message_id', 'user_id', 'emoji'])
    .where('message_id', 'in', messageIds)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
}

export interface ReactionToggle {
  messageId: number;
  userId: number;
  emoji: string;
  now: number;
  /** Distinct emoji the message may carry. */
  maxEmoji: number;
  /** Reactions the user may leave on the message. */
  maxPerPerson: number;
}

export type ToggleOutcome = 'added' | 'removed' | 'message_full' | 'person_full';

/**
 * Removes the user's reaction if present, else adds it within the caps. The message row is
 * locked first on PostgreSQL (SQLite runs one writer at a time), so toggles racing on one message
 * see each other's counts and cannot pass a cap together.
 */
export async function toggleReaction(db: Db, toggle: ReactionToggle): Promise<ToggleOutcome> {
  const { messageId, userId, emoji } = toggle;
  return db.transaction().execute(async (trx) => {
    if (!isSqlite(trx)) {
      await trx.selectFrom('messages').select('id').where('id', '=', messageId).forUpdate().execute();
    }
    const removed = await trx
      .deleteFrom('message_reactions')
      .where('message_id', '=', messageId)
      .where('user_id', '=', userId)
      .where('emoji', '=', emoji)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) > 0) return 'removed';
    const counts = await trx
      .selectFrom('message_reactions')
      .select((eb) => [
        eb.fn.count<number>('emoji').distinct().as('emoji'),
        eb.fn.count<number>(eb.case().when('user_id', '=', userId).then(1).end()).as('mine'),
        eb.fn.count<number>(eb.case().when('emoji', '=', emoji).then(1).end()).as('same'),
      ])
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    if (Number(counts.same) === 0 && Number(counts.emoji) >= toggle.maxEmoji) return 'message_full';
    if (Number(counts.mine) >= toggle.maxPerPerson) return 'person_full';
    await trx
      .insertInto('message_reactions')
      .values({ message_id: messageId, user_id: userId, emoji, created_at: toggle.now })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return 'added';
  });
}
