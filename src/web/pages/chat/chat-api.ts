import type { Message, MessageList, OnlineUser, Reaction } from '../../../protocol/chat.js';
import { ApiError, loginUrlForHere, sessionApi, toApiError } from '../../lib/api.js';

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
export const getOnline = () => sessionApi.get<OnlineUser[]>('/api/chat/online');

/** `DELETE /api/chat/messages/{id}` (the shared client has no DELETE). A 404 means it is gone already. */
export async function deleteMessage(id: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${BASE}/${id}`, {
      method: 'DELETE',
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  if (response.ok || response.status === 404) return;
  if (response.status === 401) {
    location.assign(loginUrlForHere());
    throw new ApiError(401, 'not_authenticated', 'Your session has ended. Taking you to the sign-in page…');
  }
  const payload: unknown = await response.json().catch(() => null);
  throw toApiError(response.status, response.statusText, payload);
}
