import { excerpt } from '../../protocol/limits.js';
import type { ServerEvent } from '../../protocol/events.js';
import { emit } from '../realtime/emit.js';
import type {
  ApiMessage,
  Message,
  MessageList,
  MessageListQuery,
  MessageType,
  OnlineUser,
  Reaction,
  SendMessageBody,
} from '../../protocol/chat.js';
import { MAX_PAGE_DEPTH } from '../../protocol/chat-limits.js';
import { isReactionEmoji, MAX_EMOJI_PER_MESSAGE, MAX_REACTIONS_PER_PERSON } from '../../protocol/reactions.js';
import type { SessionUser } from '../auth/auth.service.js';
import type { Bus } from '../bus/bus.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/database.js';
import type { AttemptLimiter } from '../http/attempt-limiter.js';
import { forbidden, httpError, notFound, tooManyRequests, validationFailed } from '../http/errors.js';
import { recordAudit } from '../moderation/audit.service.js';
import { assertMayChange, claimPostingSlot } from '../moderation/posting.service.js';
import * as repo from './chat.repository.js';
import { inIdOrder } from './in-id-order.js';
import { mentionTargets } from './mentions.service.js';
import type { MessageWithSender } from './chat.repository.js';

export interface ChatDeps extends Pick<AppContext, 'db' | 'clock' | 'config' | 'actionLimits'> {
  bus: Bus;
  /** Per user: 5 messages in 5 s and 30 a minute (times RATE_LIMIT_FACTOR). */
  sendLimits: readonly AttemptLimiter[];
  /** Per user: 10 reaction toggles in 5 s and 60 a minute (times RATE_LIMIT_FACTOR). */
  reactionLimits: readonly AttemptLimiter[];
  /** Who is connected now, from the socket hub. */
  onlineUsers(): OnlineUser[];
}

const notOneEmoji = () => validationFailed('emoji', 'Must be one emoji', 'emoji');
const tooManyReactions = (message: string) => httpError('too_many_reactions', message);
const messageDeleted = () =>
  httpError('message_deleted', 'This message was sent and has been deleted since; it is not sent again');

export async function listMessages(deps: ChatDeps, viewerId: number, query: MessageListQuery): Promise<MessageList> {
  const limit = query.limit ?? query.page_size ?? 20;
  if (query.around !== undefined) return listAround(deps, viewerId, query.around, limit);
  const page = query.before !== undefined || query.after !== undefined ? 1 : (query.page ?? 1);
  if (page * limit > MAX_PAGE_DEPTH) {
    throw httpError(
      'page_too_deep',
      `Pages reach at most ${MAX_PAGE_DEPTH} messages back (page × page_size): read older messages with before=<the oldest id you have>`,
    );
  }
  const offset = (page - 1) * limit;
  const total = await repo.countLiveMessages(deps.db);
  // An offset walks that many rows: a page past the end is answered without walking them all.
  const rows =
    offset >= total
      ? []
      : await repo.listMessages(deps.db, { before: query.before, after: query.after, offset, limit });
  const hasMore = rows.length > limit;
  return {
    messages: await toMessages(deps, rows.slice(0, limit), viewerId),
    total_count: total,
    page,
    page_size: limit,
    has_more: hasMore,
  };
}

/**
 * Message `id` with neighbours on both sides, newest first: half of `limit` older (with it), the
 * rest newer. Two index range reads, whatever the message's age.
 */
async function listAround(deps: ChatDeps, viewerId: number, id: number, limit: number): Promise<MessageList> {
  const olderCount = Math.ceil(limit / 2);
  const [older, newer, total] = await Promise.all([
    repo.listMessages(deps.db, { before: id + 1, limit: olderCount }),
    repo.listMessages(deps.db, { after: id, limit: limit - olderCount }),
    repo.countLiveMessages(deps.db),
  ]);
  // The older half starts with the message itself, unless it does not exist or was deleted.
  if (older[0]?.id !== id) throw notFound('Message');
  const newerShown = newer.slice(0, limit - olderCount).reverse();
  return {
    messages: await toMessages(deps, [...newerShown, ...older.slice(0, olderCount)], viewerId),
    total_count: total,
    page: 1,
    page_size: limit,
    has_more: older.length > olderCount,
    has_newer: newer.length > limit - olderCount,
  };
}

/** These messages (live ones only) in the order of `ids`, as `viewerId` sees them. */
export async function messagesByIds(deps: ChatDeps, ids: readonly number[], viewerId: number): Promise<ApiMessage[]> {
  const rows = new Map((await repo.findMessagesByIds(deps.db, ids)).map((row) => [row.id, row]));
  const live = ids.flatMap((id) => {
    const row = rows.get(id);
    return row === undefined || row.deleted_at !== null ? [] : [row];
  });
  return toMessages(deps, live, viewerId);
}

export async function getMessage(deps: Pick<ChatDeps, 'db'>, viewerId: number, id: number): Promise<ApiMessage> {
  const row = await liveMessage(deps, id);
  const [message] = await toMessages(deps, [row], viewerId);
  if (message === undefined) throw notFound('Message');
  return message;
}

/** Stores and broadcasts a message; a retried `client_id` returns the stored one, not a copy. */
export async function sendMessage(deps: ChatDeps, sender: SessionUser, body: SendMessageBody): Promise<ApiMessage> {
  const clientId = body.client_id ?? null;
  // A retry is answered before the rate limit counts it; the unique index below still decides races.
  if (clientId !== null) {
    const existing = await repo.findMessageIdByClientId(deps.db, sender.id, clientId);
    if (existing !== undefined) return getOwnCopy(deps, existing, sender.id);
  }
  await takeOrRefuse(deps.sendLimits, sender.id);
  const replyToId = body.reply_to_id == null ? null : Number(body.reply_to_id);
  const target = replyToId === null ? undefined : await repo.findMessage(deps.db, replyToId);
  if (replyToId !== null && (target === undefined || target.deleted_at !== null)) {
    throw httpError('bad_request', 'The message you are replying to does not exist');
  }
  const content = body.content.trim();
  const mentioned = await mentionTargets(deps, sender, content);
  // Last before the insert: a refused message must not take the person's slow-mode window.
  await claimPostingSlot(deps, sender.id);
  try {
    return await storeAndBroadcast(deps, async () => {
      const createdAt = deps.clock.now();
      const id = await repo.insertMessage(
        deps.db,
        { user_id: sender.id, content, reply_to_id: replyToId, client_id: clientId, created_at: createdAt },
        mentioned,
      );
      // Built from what was inserted: a new message has no reactions and its reply target was read above.
      const row: MessageWithSender = {
        id,
        user_id: sender.id,
        content,
        message_type: 'text',
        reply_to_id: replyToId,
        client_id: clientId,
        created_at: createdAt,
        edited_at: null,
        deleted_at: null,
        username: sender.username,
        display_name: sender.displayName,
      };
      return toMessage(row, target, []);
    });
  } catch (error) {
    // The same client_id raced in from another tab or retry: answer with the stored message.
    if (clientId !== null && isUniqueViolation(error, 'messages.client_id')) {
      const stored = await repo.findMessageIdByClientId(deps.db, sender.id, clientId);
      if (stored !== undefined) return getOwnCopy(deps, stored, sender.id);
    }
    throw error;
  }
}

/**
 * A post the server makes for a person (a group sprint's card, a check-in): stored and broadcast
 * like their messages, with no mentions and no reply; the caller has applied the limits that fit
 * the occasion. `onStored` links it to what it is about, in the same transaction.
 */
export async function postServerMessage(
  deps: Pick<ChatDeps, 'db' | 'clock' | 'bus'>,
  userId: number,
  content: string,
  messageType: MessageType,
  onStored?: (trx: Db, id: number) => Promise<void>,
): Promise<ApiMessage> {
  const row = { user_id: userId, content, message_type: messageType, reply_to_id: null, client_id: null };
  return storeAndBroadcast(deps, async () => {
    let stored: MessageWithSender | undefined;
    await repo.insertMessage(deps.db, { ...row, created_at: deps.clock.now() }, [], async (trx, id) => {
      await onStored?.(trx, id);
      stored = await repo.findMessage(trx, id); // for the sender's name
    });
    if (stored === undefined) throw new Error('the stored post was not found in its own transaction');
    // A new post has no reactions.
    return toMessage(stored, undefined, []);
  });
}

/**
 * Stores a new message (`store` answers it as the sender sees it) and broadcasts it, after the
 * stores this process started before: `message.created` leaves in id order (`in-id-order.ts`).
 * Broadcast frames carry no per-viewer data (`live`).
 */
function storeAndBroadcast(deps: Pick<ChatDeps, 'db' | 'bus'>, store: () => Promise<ApiMessage>): Promise<ApiMessage> {
  return inIdOrder(deps.db, async () => {
    const message = await store();
    publish(deps, { type: 'message.created', message: live(message) });
    return message;
  });
}

/** A retry is answered with what it sent, unless that was deleted since: then it is gone for good. */
async function getOwnCopy(deps: ChatDeps, id: number, viewerId: number): Promise<ApiMessage> {
  const row = await repo.findMessage(deps.db, id);
  if (row === undefined) throw notFound('Message');
  if (row.deleted_at !== null) throw messageDeleted();
  const [message] = await toMessages(deps, [row], viewerId);
  if (message === undefined) throw notFound('Message');
  return message;
}

/** Counts one action of the user against each limit; 429 with the longest wait when one is over. */
export async function takeOrRefuse(limits: readonly AttemptLimiter[], userId: number): Promise<void> {
  const key = String(userId);
  const wait = Math.max(...(await Promise.all(limits.map((limit) => limit.take(key)))));
  if (wait > 0) throw tooManyRequests(wait);
}

export async function editMessage(
  deps: ChatDeps,
  editor: SessionUser,
  id: number,
  content: string,
): Promise<ApiMessage> {
  await takeOrRefuse([deps.actionLimits.messageEdits], editor.id);
  const row = await liveMessage(deps, id);
  if (row.user_id !== editor.id) throw forbidden('You can only edit your own messages');
  if (row.message_type !== 'text') throw forbidden('Check-ins and sprint cards cannot be edited; delete them instead');
  await assertMayChange(deps, editor.id);
  const windowMs = deps.config.chatEditWindowMinutes * 60_000;
  if (deps.clock.now() - row.created_at > windowMs) {
    throw forbidden(`Messages can be edited only within ${deps.config.chatEditWindowMinutes} minutes of sending`);
  }
  const text = content.trim();
  const editedAt = deps.clock.now();
  await repo.updateContent(deps.db, id, text, editedAt, await mentionTargets(deps, editor, text));
  // The row read above with its new text: its reply and reactions are read once, for both copies.
  const [edited] = await toMessages(deps, [{ ...row, content: text, edited_at: editedAt }], editor.id);
  if (edited === undefined) throw notFound('Message');
  const reactions = edited.reactions.map((reaction) => ({ ...reaction, me: false }));
  publish(deps, { type: 'message.updated', message: live({ ...edited, reactions }) });
  return edited;
}

/** The sender or an admin; an admin removing someone else's message leaves an audit row. */
export async function deleteMessage(
  deps: ChatDeps,
  actor: SessionUser,
  id: number,
  address: string | null = null,
): Promise<void> {
  const row = await liveMessage(deps, id);
  if (row.user_id !== actor.id && actor.role !== 'admin') throw forbidden('You can only delete your own messages');
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await repo.softDelete(trx, id, now);
    if (row.user_id === actor.id) return;
    const audit = { actor: { kind: 'admin' as const, id: actor.id, address }, action: 'message.deleted' as const };
    await recordAudit(trx, { ...audit, targetUserId: row.user_id, targetMessageId: id, details: {} }, now);
  });
  announceDeleted(deps, id);
}

/** The soft delete alone, inside the caller's transaction (a resolved report); announce it after the commit. */
export async function softDeleteIn(db: ChatDeps['db'], id: number, now: number): Promise<void> {
  await repo.softDelete(db, id, now);
}

/** Every page removes the message. */
export function announceDeleted(deps: Pick<ChatDeps, 'bus'>, id: number): void {
  publish(deps, { type: 'message.deleted', id });
}

/**
 * Adds the caller's reaction, or takes it back if it was there. Everyone gets the counts only;
 * the caller's answer says which are theirs.
 */
export async function toggleReaction(
  deps: ChatDeps,
  actor: SessionUser,
  id: number,
  emoji: string,
): Promise<Reaction[]> {
  if (!isReactionEmoji(emoji)) throw notOneEmoji();
  await liveMessage(deps, id);
  await assertMayChange(deps, actor.id);
  await takeOrRefuse(deps.reactionLimits, actor.id);
  const outcome = await repo.toggleReaction(deps.db, {
    messageId: id,
    userId: actor.id,
    emoji,
    now: deps.clock.now(),
    maxEmoji: MAX_EMOJI_PER_MESSAGE,
    maxPerPerson: MAX_REACTIONS_PER_PERSON,
  });
  if (outcome === 'message_full') {
    throw tooManyReactions(`A message can carry at most ${MAX_EMOJI_PER_MESSAGE} different emoji`);
  }
  if (outcome === 'person_full') {
    throw tooManyReactions(`You can leave at most ${MAX_REACTIONS_PER_PERSON} reactions on one message`);
  }
  const shown = reactionsByMessage(await repo.findReactions(deps.db, [id]), actor.id).get(id) ?? [];
  publish(deps, {
    type: 'reactions.updated',
    id,
    reactions: shown.map(({ emoji: e, count }) => ({ emoji: e, count })),
    actor_id: actor.id,
    emoji,
    added: outcome === 'added',
  });
  return shown;
}

export async function chatStatus(deps: ChatDeps) {
  return {
    online_users: deps.onlineUsers().length,
    total_messages: await repo.countLiveMessages(deps.db),
    websocket_ready: true as const,
  };
}

export function lastMessageId(deps: Pick<ChatDeps, 'db'>): Promise<number> {
  return repo.lastMessageId(deps.db);
}

export function lastMessageIdBefore(deps: Pick<ChatDeps, 'db'>, epochMs: number): Promise<number> {
  return repo.lastMessageIdBefore(deps.db, epochMs);
}

async function liveMessage(deps: Pick<ChatDeps, 'db'>, id: number): Promise<MessageWithSender> {
  const row = await repo.findMessage(deps.db, id);
  if (row === undefined || row.deleted_at !== null) throw notFound('Message');
  return row;
}

function publish(deps: Pick<ChatDeps, 'bus'>, event: ServerEvent): void {
  emit(deps, { kind: 'all' }, event);
}

/** The message as live events carry it: without the Python version's repeats of `reply_to`. */
function live({ reply_to_username: _name, reply_to_content: _excerpt, ...message }: ApiMessage): Message {
  return message;
}

/** Rows to API messages: current sender names, reply previews from the stored target, reactions. */
async function toMessages(
  deps: Pick<ChatDeps, 'db'>,
  rows: readonly MessageWithSender[],
  viewerId: number,
): Promise<ApiMessage[]> {
  const replyIds = [...new Set(rows.flatMap((r) => (r.reply_to_id === null ? [] : [r.reply_to_id])))];
  const targets = new Map((await repo.findMessagesByIds(deps.db, replyIds)).map((t) => [t.id, t]));
  const reactions = reactionsByMessage(
    await repo.findReactions(
      deps.db,
      rows.map((r) => r.id),
    ),
    viewerId,
  );
  return rows.map((row) =>
    toMessage(row, row.reply_to_id === null ? undefined : targets.get(row.reply_to_id), reactions.get(row.id) ?? []),
  );
}

/** One row as an API message, with the stored message it replies to (if any) and its reactions. */
function toMessage(row: MessageWithSender, stored: MessageWithSender | undefined, reactions: Reaction[]): ApiMessage {
  const target = stored?.deleted_at === null ? stored : undefined;
  const replyTo =
    target === undefined
      ? null
      : {
          id: target.id,
          sender_id: target.user_id,
          sender_name: shownName(target.display_name, target.username),
          excerpt: excerpt(target.content),
        };
  return {
    id: row.id,
    sender_id: row.user_id,
    sender_username: row.username,
    sender_name: shownName(row.display_name, row.username),
    content: row.content,
    timestamp: new Date(row.created_at).toISOString(),
    edited_at: row.edited_at === null ? null : new Date(row.edited_at).toISOString(),
    room_id: 'global',
    message_type: row.message_type,
    reply_to_id: row.reply_to_id,
    reply_to: replyTo,
    reply_to_username: replyTo?.sender_name ?? null,
    reply_to_content: replyTo?.excerpt ?? null,
    reactions,
    client_id: row.client_id,
  };
}

/** Reactions per message as `viewerId` sees them, in the order the emoji first appeared. */
function reactionsByMessage(
  rows: readonly { message_id: number; user_id: number; emoji: string }[],
  viewerId: number,
): Map<number, Reaction[]> {
  const byMessage = new Map<number, Map<string, Reaction>>();
  for (const row of rows) {
    let emojis = byMessage.get(row.message_id);
    if (emojis === undefined) byMessage.set(row.message_id, (emojis = new Map<string, Reaction>()));
    let reaction = emojis.get(row.emoji);
    if (reaction === undefined) emojis.set(row.emoji, (reaction = { emoji: row.emoji, count: 0, me: false }));
    reaction.count += 1;
    if (row.user_id === viewerId) reaction.me = true;
  }
  return new Map([...byMessage].map(([id, emojis]) => [id, [...emojis.values()]]));
}

/** The name the chat shows for a person, in messages, reply quotes, presence and typing. */
export function shownName(displayName: string | null, username: string | null): string {
  return displayName ?? username ?? 'Someone';
}
