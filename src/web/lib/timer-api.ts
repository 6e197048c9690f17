import type { FocusSession, StartTimerBody, TimerState } from '../../protocol/timer.js';
import { sessionApi } from './api.js';

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

export const deleteSession = (id: number) => sessionApi.delete(`/api/timer/sessions/${id}`);
