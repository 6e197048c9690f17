import type { TimerEndReason, TimerStateName } from '../db/schema.js';

/** The timer of one user at one instant. Pure data: the rules below never read a clock. */
export interface TimerSnapshot {
  state: TimerStateName;
  runStartedAt: number | null;
  accumulatedMs: number;
  label: string;
  targetMs: number | null;
  endedBy: TimerEndReason | null;
}

export interface FinishedRun {
  startedAt: number;
  endedAt: number;
  label: string;
}

export interface Transition {
  next: TimerSnapshot;
  /** Runs that ended in this transition, to be recorded as focus sessions. */
  finished: FinishedRun[];
}

export const IDLE: TimerSnapshot = {
  state: 'idle',
  runStartedAt: null,
  accumulatedMs: 0,
  label: '',
  targetMs: null,
  endedBy: null,
};

export function elapsedMs(timer: TimerSnapshot, now: number): number {
  return (
    timer.accumulatedMs + (timer.state === 'running' && timer.runStartedAt !== null ? now - timer.runStartedAt : 0)
  );
}

/**
 * Ends a running run that reached its target or the longest allowed run, at exactly that point:
 * evaluated whenever the timer is read or changed, so a closed laptop never logs 22 hours.
 */
export function settle(timer: TimerSnapshot, now: number, maxRunMs: number): Transition {
  const end = runEnd(timer, maxRunMs);
  if (end === null || timer.runStartedAt === null || now < end.at) return { next: timer, finished: [] };
  return stopRun(timer, end.at, end.by);
}

/** When a running run ends by itself (its target, or the longest run allowed); null when not running. */
export function runEnd(timer: TimerSnapshot, maxRunMs: number): { at: number; by: TimerEndReason } | null {
  if (timer.state !== 'running' || timer.runStartedAt === null) return null;
  const byMax = timer.runStartedAt + maxRunMs;
  const byTarget =
    timer.targetMs === null ? Infinity : timer.runStartedAt + Math.max(0, timer.targetMs - timer.accumulatedMs);
  return byTarget <= byMax ? { at: byTarget, by: 'target' } : { at: byMax, by: 'max' };
}

export interface StartOptions {
  label?: string;
  targetMs?: number;
}

/** Starts or resumes; already running → unchanged. A finished interval starts afresh. */
export function start(timer: TimerSnapshot, now: number, maxRunMs: number, options: StartOptions = {}): Transition {
  const settled = settle(timer, now, maxRunMs);
  const current = settled.next;
  if (current.state === 'running') return settled;
  const intervalDone = current.targetMs !== null && current.accumulatedMs >= current.targetMs;
  const next: TimerSnapshot = {
    state: 'running',
    runStartedAt: now,
    accumulatedMs: intervalDone || current.state === 'idle' ? 0 : current.accumulatedMs,
    label: options.label ?? current.label,
    targetMs: options.targetMs ?? (current.state === 'idle' ? null : current.targetMs),
    endedBy: null,
  };
  if (
    options.targetMs !== undefined &&
    !intervalDone &&
    current.state === 'paused' &&
    next.accumulatedMs >= options.targetMs
  ) {
    next.accumulatedMs = 0;
  }
  return { next, finished: settled.finished };
}

/** Ends the current run (recorded); not running → unchanged. */
export function pause(timer: TimerSnapshot, now: number, maxRunMs: number): Transition {
  const settled = settle(timer, now, maxRunMs);
  if (settled.next.state !== 'running') return settled;
  return stopRun(settled.next, now, null);
}

/** Back to idle with nothing elapsed; a run in progress is recorded first. Label and target stay. */
export function reset(timer: TimerSnapshot, now: number, maxRunMs: number): Transition {
  const paused = pause(timer, now, maxRunMs);
  return {
    next: { ...IDLE, label: paused.next.label, targetMs: paused.next.targetMs },
    finished: paused.finished,
  };
}

function stopRun(timer: TimerSnapshot, end: number, endedBy: TimerEndReason | null): Transition {
  const startedAt = timer.runStartedAt ?? end;
  return {
    next: {
      ...timer,
      state: 'paused',
      runStartedAt: null,
      accumulatedMs: timer.accumulatedMs + (end - startedAt),
      endedBy,
    },
    finished: end > startedAt ? [{ startedAt, endedAt: end, label: timer.label }] : [],
  };
}
