import { emit } from '../realtime/emit.js';
import { Readable } from 'node:stream';
import type { FocusSession, SessionsQuery, StartTimerBody, TimerState } from '../../protocol/timer.js';
import type { Focusing, FocusState } from '../bus/bus.js';
import type { AppContext } from '../context.js';
import type { FocusSessionRow, TimerRow } from '../db/schema.js';
import { httpError, notFound, tooManyRequests } from '../http/errors.js';
import { getProfile } from '../profile/profile.service.js';
import { announceDue, type Scheduler } from '../scheduler/scheduler.js';
import { wallClock } from '../shared/time.js';
import * as machine from './timer.machine.js';
import type { TimerSnapshot, Transition } from './timer.machine.js';
import * as repo from './timer.repository.js';
import { claimCheckin, postFinished, postFocusing } from './checkins.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'bus' | 'config'>;
type ChangeDeps = Deps & Pick<AppContext, 'actionLimits'>;
type Command = (timer: TimerSnapshot, now: number, maxRunMs: number) => Transition;
/** Whether a run this command starts is announced in the chat (only a start asked with `announce`). */
type Announce = boolean;

const MAX_ATTEMPTS = 20;

export const getTimer = (deps: Deps, userId: number) => apply(deps, userId, machine.settle);

export function startTimer(deps: ChangeDeps, userId: number, body: StartTimerBody = {}): Promise<TimerState> {
  const options = {
    label: body.label?.trim(),
    targetMs: body.target_minutes === undefined ? undefined : body.target_minutes * 60_000,
  };
  const command: Command = (timer, now, max) => machine.start(timer, now, max, options);
  if (body.announce !== true) return change(deps, userId, command);
  return announcedStart(deps, userId, command);
}

/** A start with a check-in: refused whole (429/403) when the person may not post now. */
async function announcedStart(deps: ChangeDeps, userId: number, command: Command): Promise<TimerState> {
  const current = await getTimer(deps, userId);
  if (current.state === 'running') return change(deps, userId, command);
  await claimCheckin(deps, userId);
  return change(deps, userId, command, true);
}

/**
 * Starts the user's timer afresh for a run that ends at `endsAt` (a group sprint); a run in
 * progress is recorded first. The run's target makes it end there by itself.
 */
export function startRunUntil(deps: Deps, userId: number, label: string, endsAt: number): Promise<TimerState> {
  return apply(deps, userId, (timer, now, max) => {
    // Already the run that ends then (a step done twice, by two instances or after a restart).
    if (timer.state === 'running' && machine.runEnd(timer, max)?.at === endsAt) return machine.settle(timer, now, max);
    const reset = machine.reset(timer, now, max);
    const started = machine.start(reset.next, now, max, { label, targetMs: endsAt - now });
    return { next: started.next, finished: [...reset.finished, ...started.finished] };
  });
}

/** Ends (and records) the user's run if it is the one ending at `endsAt`; another run is left alone. */
export function endRunUntil(deps: Deps, userId: number, endsAt: number): Promise<TimerState> {
  return apply(deps, userId, (timer, now, max) =>
    machine.runEnd(timer, max)?.at === endsAt ? machine.pause(timer, now, max) : machine.settle(timer, now, max),
  );
}

/** The scheduler ends each run at its time, through the same path as a read (`settle`). */
export function registerTimerJobs(scheduler: Scheduler, deps: Deps): void {
  scheduler.register(repo.RUN_END_JOB, async (userId) => {
    await getTimer(deps, userId);
  });
}

export const pauseTimer = (deps: ChangeDeps, userId: number) => change(deps, userId, machine.pause);
export const resetTimer = (deps: ChangeDeps, userId: number) => change(deps, userId, machine.reset);

/** A change asked for by the user: each one writes and publishes, so it counts against their limit. */
async function change(deps: ChangeDeps, userId: number, command: Command, announce: Announce = false) {
  const wait = await deps.actionLimits.timerChanges.take(String(userId));
  if (wait > 0) throw tooManyRequests(wait);
  return apply(deps, userId, command, announce);
}

/**
 * Reads the timer, applies one rule and writes the result if it changed. Parallel changes are
 * serialized by the version column: the loser reads again and re-applies, so 20 parallel starts
 * make one run and two pauses one session. Every transition passes here (asked for, or a
 * run ending by itself when read), so the end of an announced run posts its check-in once: the
 * `announced` flag is cleared in the same write that records the run.
 */
async function apply(deps: Deps, userId: number, command: Command, announce: Announce = false): Promise<TimerState> {
  const maxRunMs = deps.config.maxRunHours * 3_600_000;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const row = await repo.findOrCreateTimer(deps.db, userId, now);
    const current = toSnapshot(row);
    const { next, finished } = command(current, now, maxRunMs);
    if (sameSnapshot(current, next) && finished.length === 0) return toState(current, row.version, now);
    const startsRun = next.state === 'running' && next.runStartedAt !== current.runStartedAt;
    const wasAnnounced = row.announced === 1;
    const endsAnnounced = wasAnnounced && finished.length > 0;
    const announced = startsRun ? announce : wasAnnounced && !endsAnnounced;
    const endsAt = machine.runEnd(next, maxRunMs)?.at ?? null;
    if (await repo.saveTransition(deps.db, userId, row.version, next, finished, now, { endsAt, announced })) {
      if (endsAt !== null) announceDue(deps.bus, endsAt);
      const state = toState(next, row.version + 1, now);
      emit(deps, { kind: 'user', userId }, { type: 'timer.updated', timer: state });
      if (current.state === 'running' || next.state === 'running') await publishFocus(deps, userId, next);
      if (finished.length > 0 && (await repo.isOnLeaderboard(deps.db, userId))) {
        emit(deps, { kind: 'all' }, { type: 'leaderboard.changed' });
      }
      const ended = finished[finished.length - 1];
      if (endsAnnounced && ended !== undefined) {
        await postFinished(deps, userId, ended.label, ended.endedAt - ended.startedAt);
      }
      if (startsRun && announce) await postFocusing(deps, userId, next.label, next.targetMs);
      return state;
    }
  }
  throw httpError('service_unavailable', 'The timer is busy: please try again');
}

/** Tells presence what to show of the user's timer (nothing while they do not share it). */
async function publishFocus(
  deps: Pick<Deps, 'db' | 'bus' | 'clock'>,
  userId: number,
  known?: TimerSnapshot,
): Promise<void> {
  deps.bus.publish({ kind: 'focus', userId, ...(await focusOf(deps, userId, known)) });
}

/** What presence shows of the user's timer: the run only when they share it. */
export async function focusOf(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: number,
  known?: TimerSnapshot,
): Promise<FocusState> {
  const timer = known ?? toSnapshot(await repo.findOrCreateTimer(deps.db, userId, deps.clock.now()));
  if (timer.state !== 'running' || timer.runStartedAt === null) return { focusing: null, quiet: false };
  const settings = await repo.findFocusSettings(deps.db, userId);
  return { focusing: settings.shareFocus ? shownFocus(timer, timer.runStartedAt) : null, quiet: settings.quiet };
}

function shownFocus(timer: TimerSnapshot, runStartedAt: number): Focusing {
  const endsAt = timer.targetMs === null ? null : runStartedAt + Math.max(0, timer.targetMs - timer.accumulatedMs);
  return {
    since: new Date(runStartedAt).toISOString(),
    label: timer.label,
    ends_at: endsAt === null ? null : new Date(endsAt).toISOString(),
  };
}

/** The earlier version's stopwatch answer: elapsed milliseconds including the current run. */
export function toLegacy(state: TimerState) {
  return { elapsed_time: state.elapsed_ms, is_running: state.state === 'running' };
}

export async function listSessions(deps: Deps, userId: number, query: SessionsQuery): Promise<FocusSession[]> {
  const rows = await repo.listSessions(deps.db, userId, {
    from: query.from === undefined ? undefined : Date.parse(query.from),
    to: query.to === undefined ? undefined : Date.parse(query.to),
    limit: query.limit ?? 200,
  });
  return rows.map(toSession);
}

export async function relabelSession(deps: Deps, userId: number, id: number, label: string): Promise<FocusSession> {
  const row = await repo.relabelSession(deps.db, userId, id, label.trim());
  if (row === undefined) throw notFound('Session');
  return toSession(row);
}

export async function deleteSession(deps: Deps, userId: number, id: number): Promise<void> {
  if (!(await repo.deleteSession(deps.db, userId, id))) throw notFound('Session');
}

const CSV_HEADER = [
  'id',
  'started_at_utc',
  'ended_at_utc',
  'started_at_local',
  'ended_at_local',
  'time_zone',
  'duration_seconds',
  'label',
];
const CSV_PAGE = 500;

/**
 * RFC 4180 CSV of every run, with UTC and local times, in the order they were recorded. Streamed
 * page by page (by id), so a long history is never held in memory nor read in one query.
 */
export async function sessionsCsv(deps: Deps, userId: number): Promise<Readable> {
  const { timezone: timeZone } = await getProfile(deps, userId);
  async function* lines() {
    yield CSV_HEADER.join(',') + '\r\n';
    for (let afterId = 0; ;) {
      const rows = await repo.listSessionsAfter(deps.db, userId, afterId, CSV_PAGE);
      if (rows.length > 0) yield rows.map((row) => csvLine(row, timeZone)).join('');
      if (rows.length < CSV_PAGE) return;
      afterId = rows[rows.length - 1]?.id ?? afterId;
    }
  }
  return Readable.from(lines());
}

function csvLine(row: FocusSessionRow, timeZone: string): string {
  const fields = [
    String(row.id),
    new Date(row.started_at).toISOString(),
    new Date(row.ended_at).toISOString(),
    localTime(row.started_at, timeZone),
    localTime(row.ended_at, timeZone),
    timeZone,
    String(Math.round(row.duration_ms / 1000)),
    row.label,
  ];
  return fields.map(csvField).join(',') + '\r\n';
}

/** A value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is kept as text. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function localTime(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}

function toSnapshot(row: TimerRow): TimerSnapshot {
  return {
    state: row.state,
    runStartedAt: row.run_started_at,
    accumulatedMs: row.accumulated_ms,
    label: row.label,
    targetMs: row.target_ms,
    endedBy: row.ended_by,
  };
}

function sameSnapshot(a: TimerSnapshot, b: TimerSnapshot): boolean {
  return (
    a.state === b.state &&
    a.runStartedAt === b.runStartedAt &&
    a.accumulatedMs === b.accumulatedMs &&
    a.label === b.label &&
    a.targetMs === b.targetMs &&
    a.endedBy === b.endedBy
  );
}

function toState(timer: TimerSnapshot, version: number, now: number): TimerState {
  return {
    state: timer.state,
    elapsed_ms: machine.elapsedMs(timer, now),
    run_started_at: timer.runStartedAt === null ? null : new Date(timer.runStartedAt).toISOString(),
    label: timer.label,
    target_ms: timer.targetMs,
    ended_by: timer.endedBy,
    server_time: new Date(now).toISOString(),
    version,
  };
}

function toSession(row: FocusSessionRow): FocusSession {
  return {
    id: row.id,
    started_at: new Date(row.started_at).toISOString(),
    ended_at: new Date(row.ended_at).toISOString(),
    duration_ms: row.duration_ms,
    label: row.label,
  };
}
