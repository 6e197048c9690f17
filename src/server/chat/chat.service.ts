import type {
  Message,
  MessageList,
  MessageListQuery,
  OnlineUser,
  Reaction,
  ReactionCount,
  SendMessageBody,
  ServerEvent,
} from '../../protocol/chat.js';
import type { SessionUser } from '../auth/auth.service.js';
import type { Bus } from '../bus/bus.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { AttemptLimiter } from '../http/attempt-limiter.js';
import { badRequest, forbidden, notFound, tooManyRequests } from '../http/errors.js';
import * as repo from './chat.repository.js';
import type { MessageWithSender } from './chat.repository.js';

export interface ChatDeps extends Pick<AppContext, 'db' | 'clock' | 'config'> {
  bus: Bus;
  /** Per user: 5 messages in 5 s and 30 a minute (times RATE_LIMIT_FACTOR). */
  sendLimits: readonly AttemptLimiter[];
  /** Who is connected now, from the socket hub. */
  onlineUsers(): OnlineUser[];
}

const EXCERPT_LENGTH = 100;

/** Broadcast frames carry no per-viewer data: `me` is false there (see docs/websocket.md). */
const NOBODY = 0;

export async function listMessages(deps: ChatDeps, viewerId: number, query: MessageListQuery): Promise<MessageList> {
  const limit = query.limit ?? query.page_size ?? 20;
  const page = query.before !== undefined || query.after !== undefined ? 1 : (query.page ?? 1);
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

export async function getMessage(deps: ChatDeps, viewerId: number, id: number): Promise<Message> {
  const row = await liveMessage(deps, id);
  const [message] = await toMessages(deps, [row], viewerId);
  if (message === undefined) throw notFound('Message');
  return message;
}

/** Stores and broadcasts a message; a retried `client_id` returns the stored one, not a copy. */
export async function sendMessage(deps: ChatDeps, sender: SessionUser, body: SendMessageBody): Promise<Message> {
  const clientId = body.client_id ?? null;
  // A retry is answered before the rate limit counts it; the unique index below still decides races.
  if (clientId !== null) {
    const existing = await repo.findMessageByClientId(deps.db, sender.id, clientId);
    if (existing !== undefined) return getOwnCopy(deps, existing, sender.id);
  }
  await checkSendLimit(deps, sender.id);
  const replyToId = body.reply_to_id == null ? null : Number(body.reply_to_id);
  if (replyToId !== null) {
    const target = await repo.findMessage(deps.db, replyToId);
    if (target === undefined || target.deleted_at !== null) {
      throw badRequest('bad_request', 'The message you are replying to does not exist');
    }
  }
  let id: number;
  try {
    id = await repo.insertMessage(deps.db, {
      user_id: sender.id,
      content: body.content.trim(),
      reply_to_id: replyToId,
      client_id: clientId,
      created_at: deps.clock.now(),
    });
  } catch (error) {
    // The same client_id raced in from another tab or retry: answer with the stored message.
    if (clientId !== null && isUniqueViolation(error, 'messages.client_id')) {
      const stored = await repo.findMessageByClientId(deps.db, sender.id, clientId);
      if (stored !== undefined) return getOwnCopy(deps, stored, sender.id);
    }
    throw error;
  }
  const message = await getMessage(deps, NOBODY, id);
  publish(deps, { type: 'message.created', message });
  return message;
}

async function getOwnCopy(deps: ChatDeps, row: MessageWithSender, viewerId: number): Promise<Message> {
  const [message] = await toMessages(deps, [row], viewerId);
  if (message === undefined) throw notFound('Message');
  return message;
}

async function checkSendLimit(deps: ChatDeps, userId: number): Promise<void> {
  const key = String(userId);
  const wait = Math.max(...(await Promise.all(deps.sendLimits.map((limit) => limit.take(key)))));
  if (wait > 0) throw tooManyRequests(wait);
}

export async function editMessage(deps: ChatDeps, editor: SessionUser, id: number, content: string): Promise<Message> {
  const row = await liveMessage(deps, id);
  if (row.user_id !== editor.id) throw forbidden('You can only edit your own messages');
  const windowMs = deps.config.chatEditWindowMinutes * 60_000;
  if (deps.clock.now() - row.created_at > windowMs) {
    throw forbidden(`Messages can be edited only within ${deps.config.chatEditWindowMinutes} minutes of sending`);
  }
  await repo.updateContent(deps.db, id, content.trim(), deps.clock.now());
  publish(deps, { type: 'message.updated', message: await getMessage(deps, NOBODY, id) });
  return getMessage(deps, editor.id, id);
}

export async function deleteMessage(deps: ChatDeps, actor: SessionUser, id: number): Promise<void> {
  const row = await liveMessage(deps, id);
  if (row.user_id !== actor.id && actor.role !== 'admin') throw forbidden('You can only delete your own messages');
  await repo.softDelete(deps.db, id, deps.clock.now());
  publish(deps, { type: 'message.deleted', id });
}

/** Adds the caller's reaction, or takes it back if it was there. */
export async function toggleReaction(
  deps: ChatDeps,
  actor: SessionUser,
  id: number,
  emoji: string,
): Promise<Reaction[]> {
  await liveMessage(deps, id);
  await repo.toggleReaction(deps.db, id, actor.id, emoji, deps.clock.now());
  const counts = reactionCounts(await repo.findReactions(deps.db, [id])).get(id) ?? [];
  publish(deps, { type: 'reactions.updated', id, reactions: counts });
  return counts.map((c) => ({ emoji: c.emoji, count: c.count, me: c.user_ids.includes(actor.id) }));
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

async function liveMessage(deps: ChatDeps, id: number): Promise<MessageWithSender> {
  const row = await repo.findMessage(deps.db, id);
  if (row === undefined || row.deleted_at !== null) throw notFound('Message');
  return row;
}

function publish(deps: ChatDeps, event: ServerEvent): void {
  deps.bus.publish({ kind: 'event', audience: { kind: 'all' }, frame: JSON.stringify(event) });
}

/** Rows to API messages: current sender names, reply previews from the stored target, reactions. */
async function toMessages(deps: ChatDeps, rows: readonly MessageWithSender[], viewerId: number): Promise<Message[]> {
  const replyIds = [...new Set(rows.flatMap((r) => (r.reply_to_id === null ? [] : [r.reply_to_id])))];
  const targets = new Map((await repo.findMessagesByIds(deps.db, replyIds)).map((t) => [t.id, t]));
  const reactions = reactionCounts(
    await repo.findReactions(
      deps.db,
      rows.map((r) => r.id),
    ),
  );
  return rows.map((row) => {
    const stored = row.reply_to_id === null ? undefined : targets.get(row.reply_to_id);
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
      message_type: 'text',
      reply_to_id: row.reply_to_id,
      reply_to: replyTo,
      reply_to_username: replyTo?.sender_name ?? null,
      reply_to_content: replyTo?.excerpt ?? null,
      reactions: (reactions.get(row.id) ?? []).map((c) => ({
        emoji: c.emoji,
        count: c.count,
        me: c.user_ids.includes(viewerId),
      })),
      client_id: row.client_id,
    };
  });
}

function reactionCounts(rows: readonly { message_id: number; user_id: number; emoji: string }[]) {
  const byMessage = new Map<number, ReactionCount[]>();
  for (const row of rows) {
    const counts = byMessage.get(row.message_id) ?? [];
    let count = counts.find((c) => c.emoji === row.emoji);
    if (count === undefined) {
      count = { emoji: row.emoji, count: 0, user_ids: [] };
      counts.push(count);
    }
    count.count += 1;
    count.user_ids.push(row.user_id);
    byMessage.set(row.message_id, counts);
  }
  return byMessage;
}

/** The name the chat shows for a person, in messages, reply quotes, presence and typing. */
export function shownName(displayName: string | null, username: string | null): string {
  return displayName ?? username ?? 'Someone';
}

function excerpt(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1)}…` : flat;
}
