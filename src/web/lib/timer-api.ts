import type { FocusSession, StartTimerBody, TimerState } from '../../protocol/timer.js';
import { ApiError, loginUrlForHere, sessionApi, toApiError } from './api.js';

/** The focus timer's routes (see SPEC "Focus timer"); a 401 sends the page to sign in. */
export const getTimer = () => sessionApi.get<TimerState>('/api/timer');
export const startTimer = (body: StartTimerBody) => sessionApi.post<TimerState>('/api/timer/start', body);
export const pauseTimer = () => sessionApi.post<TimerState>('/api/timer/pause');
export const resetTimer = () => sessionApi.post<TimerState>('/api/timer/reset');

/** A plain link: the session cookie authenticates the download. */
export const SESSIONS_CSV_URL = '/api/timer/sessions.csv';

export interface SessionRange {
  from?: Date;
  to?: Date;
  limit?: number;
}

/** Recorded runs overlapping [from, to), newest first. */
export function listSessions(range: SessionRange = {}): Promise<FocusSession[]> {
  const query = new URLSearchParams();
  if (range.from) query.set('from', range.from.toISOString());
  if (range.to) query.set('to', range.to.toISOString());
  if (range.limit !== undefined) query.set('limit', String(range.limit));
  const search = query.toString();
  return sessionApi.get<FocusSession[]>(`/api/timer/sessions${search ? `?${search}` : ''}`);
}

export const relabelSession = (id: number, label: string) =>
  sessionApi.patch<FocusSession>(`/api/timer/sessions/${id}`, { label });

/** `DELETE /api/timer/sessions/{id}`; the shared Api has no DELETE, so this one call is spelled out. */
export async function deleteSession(id: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/api/timer/sessions/${id}`, {
      method: 'DELETE',
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new ApiError(0, 'timeout', 'The server took too long to answer. Please try again.');
    }
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  if (response.ok) return;
  if (response.status === 401) {
    location.assign(loginUrlForHere());
    throw new ApiError(401, 'not_authenticated', 'Your session has ended. Taking you to the sign-in page…');
  }
  const payload: unknown = await response.json().catch(() => null);
  throw toApiError(response.status, response.statusText, payload);
}
