import { emit } from '../realtime/emit.js';
import type { MentionList, UnreadState } from '../../protocol/chat-read.js';
import { UNREAD_COUNT_CAP } from '../../protocol/unread.js';
import { lastMessageId, messagesByIds, type ChatDeps } from './chat.service.js';
import * as repo from './reading.repository.js';

export const DEFAULT_LIMIT = 20;

/** My read position and what is new since: others' messages, and those that mention me. */
export async function unreadState(deps: ChatDeps, userId: number): Promise<UnreadState> {
  const lastRead = await repo.findLastRead(deps.db, userId);
  const [unread, mentions] = await Promise.all([
    repo.countUnread(deps.db, userId, lastRead, UNREAD_COUNT_CAP),
    repo.countMentions(deps.db, userId, lastRead, UNREAD_COUNT_CAP),
  ]);
  return { last_read_id: lastRead, unread_count: unread, mentions_count: mentions };
}

/**
 * Moves my read position forward to `lastReadId` (never back, never past the last message); when
 * it moved, my other tabs and devices hear of it with the new counts.
 */
export async function markRead(deps: ChatDeps, userId: number, lastReadId: number): Promise<UnreadState> {
  const target = Math.min(lastReadId, await lastMessageId(deps));
  const moved = await repo.advanceLastRead(deps.db, userId, target, deps.clock.now());
  const state = await unreadState(deps, userId);
  if (moved) {
    emit(deps, { kind: 'user', userId }, { type: 'read.updated', ...state });
  }
  return state;
}

/** Messages that mention me, newest first, each with whether I have read it. */
export async function listMentions(
  deps: ChatDeps,
  userId: number,
  query: { before?: number; limit?: number },
): Promise<MentionList> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const [ids, lastRead] = await Promise.all([
    repo.listMentionIds(deps.db, userId, query.before, limit),
    repo.findLastRead(deps.db, userId),
  ]);
  const messages = await messagesByIds(deps, ids.slice(0, limit), userId);
  return {
    mentions: messages.map((message) => ({ message, read: message.id <= lastRead })),
    has_more: ids.length > limit,
  };
}
