import { useCallback } from 'preact/hooks';
import type { FocusSession } from '../../../protocol/timer.js';
import { useLoad, type Loaded } from '../../lib/use-load.js';
import { deleteSession, listSessions, relabelSession } from '../../lib/timer-api.js';

export const HISTORY_DAYS = 7;

/** Midnight starting the viewer's local day of `at`. */
export function startOfDay(at: number): Date {
  const day = new Date(at);
  day.setHours(0, 0, 0, 0);
  return day;
}

/** Midnight `days` local days before the day of `at` (setDate keeps DST days right). */
export function daysBefore(at: number, days: number): Date {
  const day = startOfDay(at);
  day.setDate(day.getDate() - days);
  return day;
}

/**
 * The last seven local days of recorded runs: loaded on mount, reloaded quietly on request
 * (a run finished), relabelled and deleted in place. Only the newest reload's answer is kept.
 */
export function useSessions() {
  const { state, refreshError, retry, reload, update } = useLoad(() => {
    const now = Date.now();
    return listSessions({ from: daysBefore(now, HISTORY_DAYS - 1), to: new Date(now), limit: 1000 });
  });

  const relabel = useCallback(
    async (id: number, label: string) => {
      const updated = await relabelSession(id, label);
      update((sessions) => sessions.map((session) => (session.id === id ? updated : session)));
    },
    [update],
  );

  const remove = useCallback(
    async (id: number) => {
      await deleteSession(id);
      update((sessions) => sessions.filter((session) => session.id !== id));
    },
    [update],
  );

  return {
    state,
    refreshError: refreshError === null ? null : `Could not refresh the history: ${refreshError}`,
    retry,
    reload: useCallback(() => void reload(), [reload]),
    relabel,
    remove,
  };
}

export interface DayGroup {
  key: string;
  /** Local midnight of the day. */
  day: Date;
  sessions: FocusSession[];
  totalMs: number;
}

function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** Runs grouped by the local day they started on, newest day first (runs stay newest first). */
export function groupByDay(sessions: readonly FocusSession[]): DayGroup[] {
  const groups = new Map<string, DayGroup>();
  for (const session of sessions) {
    const day = startOfDay(Date.parse(session.started_at));
    const key = dayKey(day);
    const group = groups.get(key) ?? { key, day, sessions: [], totalMs: 0 };
    group.sessions.push(session);
    group.totalMs += session.duration_ms;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.day.getTime() - a.day.getTime());
}

/** "Today", "Yesterday", else e.g. "Monday 3 November". */
export function dayLabel(day: Date, now: number): string {
  const today = startOfDay(now).getTime();
  if (day.getTime() === today) return 'Today';
  if (day.getTime() === daysBefore(now, 1).getTime()) return 'Yesterday';
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' }).format(day);
}

/** How much of [start, end) falls within the local day of `now`. */
function withinToday(start: number, end: number, now: number): number {
  const dayStart = startOfDay(now).getTime();
  const dayEnd = daysBefore(now, -1).getTime();
  return Math.max(0, Math.min(end, dayEnd) - Math.max(start, dayStart));
}

/** Today's focus: recorded runs (the part inside today) plus the run in progress. */
export function todaysFocus(
  sessions: readonly FocusSession[],
  now: number,
  running: { startedAt: number; ms: number } | null,
): { totalMs: number; count: number } {
  let totalMs = 0;
  let count = 0;
  for (const session of sessions) {
    const part = withinToday(Date.parse(session.started_at), Date.parse(session.ended_at), now);
    if (part > 0) {
      totalMs += part;
      count += 1;
    }
  }
  if (running) totalMs += withinToday(running.startedAt, running.startedAt + running.ms, now);
  return { totalMs, count };
}

export type Sessions = Loaded<FocusSession[]>;
