import type { SearchResults } from '../../../protocol/chat-read.js';
import type { Message, MessageList, OnlineUser, Reaction } from '../../../protocol/chat.js';
import type { PublicProfile } from '../../../protocol/users.js';
import type { ReportCreated } from '../../../protocol/moderation.js';
import { ApiError, sessionApi } from '../../lib/api.js';

/** The chat's REST calls (`/api/chat`); a 401 sends the browser to sign in, like every signed-in page. */

const BASE = '/api/chat/messages';

export interface SendBody {
  content: string;
  reply_to_id: number | null;
  client_id: string;
}

/** The newest `size` messages, newest first. */
export const getLatest = (size: number) => sessionApi.get<MessageList>(`${BASE}?page_size=${size}`);
/** Up to `limit` messages older than `id`, newest first. */
export const getBefore = (id: number, limit: number) =>
  sessionApi.get<MessageList>(`${BASE}?before=${id}&limit=${limit}`);
/** Up to `limit` messages newer than `id`, oldest first (catch-up). */
export const getAfter = (id: number, limit: number) =>
  sessionApi.get<MessageList>(`${BASE}?after=${id}&limit=${limit}`);
export const postMessage = (body: SendBody) => sessionApi.post<Message>(BASE, body);
export const editMessage = (id: number, content: string) => sessionApi.patch<Message>(`${BASE}/${id}`, { content });
export const toggleReaction = (id: number, emoji: string) =>
  sessionApi.post<Reaction[]>(`${BASE}/${id}/reactions`, { emoji });
/** Reports someone else's message to the admins. */
export const reportMessage = (id: number, reason: string) =>
  sessionApi.post<ReportCreated>(`${BASE}/${id}/report`, { reason });
/** A page of who is online, after the person `after` (`onlineCursor`) in the list's order. */
export const getOnline = (limit: number, after?: string) =>
  sessionApi.get<OnlineUser[]>(
    `/api/chat/online?limit=${limit}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`,
  );

/** `DELETE /api/chat/messages/{id}`. A 404 means it is gone already, which is what was asked. */
export async function deleteMessage(id: number): Promise<void> {
  try {
    await sessionApi.delete(`${BASE}/${id}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
}

/** Live messages with these words, newest first, matched words marked. */
export const searchMessages = (q: string, before?: number) =>
  sessionApi.get<SearchResults>(
    `/api/chat/search?q=${encodeURIComponent(q)}&limit=20${before === undefined ? '' : `&before=${before}`}`,
  );
export const getPublicProfile = (username: string) =>
  sessionApi.get<PublicProfile>(`/api/users/${encodeURIComponent(username)}`);
