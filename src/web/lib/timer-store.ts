import type { StartTimerBody, TimerState } from '../../protocol/timer.js';
import { errorMessage } from './api.js';
import type { Live, LiveStatus } from './live.js';
import { createEmitter, createStore, type Emitter, type Store } from './store.js';
import * as api from './timer-api.js';

/**
 * One page's copy of the user's focus timer, shared by the clock page and the floating
 * timer. It loads `GET /api/timer`, takes `timer.updated` pushes, keeps the state with the
 * highest `version` (a late answer never overwrites a newer push), re-reads after the socket
 * reconnects, and ticks locally from the server's clock so every tab shows the same time. The
 * server ends a run at its target or MAX_RUN_HOURS by itself and pushes it: nothing here asks.
 */
export type TimerAction = 'start' | 'pause' | 'reset';

export interface TimerSnapshot {
  /** 'error' only while nothing was ever loaded; later failures keep the last known state. */
  load: 'loading' | 'ready' | 'error';
  loadError: string | null;
  timer: TimerState | null;
  /** Server clock minus this clock (ms), measured when `timer` arrived. */
  offset: number;
  /** This clock when the snapshot was last ticked: what `displayedElapsed` is computed at. */
  now: number;
  busy: TimerAction | null;
  actionError: string | null;
  /** The longest run allowed (MAX_RUN_HOURS), as the server's `hello` says. */
  maxRunHours: number | null;
  live: LiveStatus;
}

export type EndReason = 'target' | 'max';

const TICK_MS = 250;

/** The elapsed time to show: the server's figure plus what passed since, on the server's clock. */
export function displayedElapsed(timer: TimerState, offset: number, now: number): number {
  if (timer.state !== 'running') return timer.elapsed_ms;
  return timer.elapsed_ms + Math.max(0, now + offset - Date.parse(timer.server_time));
}

/**
 * When a running run with a target ends, on the server's clock (ms): the server's own figures
 * only, so every tab and every member of a group sprint shows the same instant. Null otherwise.
 */
export function runEndsAt(timer: TimerState): number | null {
  if (timer.state !== 'running' || timer.target_ms === null) return null;
  return Date.parse(timer.server_time) + (timer.target_ms - timer.elapsed_ms);
}

export type TimerPhase = 'idle' | 'running' | 'paused' | 'complete' | 'max';

export interface TimerClock {
  phase: TimerPhase;
  /** Capped at the target once the interval is complete. */
  elapsedMs: number;
  /** Time left to the target while focusing on an interval. */
  remainingMs: number | null;
  /** 0…1 of the way to the target, or null without one. */
  progress: number | null;
}

/** What the clock shows at `snapshot.now`; a run that reached its target locally is complete. */
export function clockOf(timer: TimerState, offset: number, now: number): TimerClock {
  const raw = displayedElapsed(timer, offset, now);
  const target = timer.target_ms;
  const reached = target !== null && raw >= target;
  const elapsedMs = reached && timer.state === 'running' ? target : raw;
  let phase: TimerPhase;
  if (timer.state === 'idle') phase = 'idle';
  else if (timer.state === 'running') phase = reached ? 'complete' : 'running';
  else if (timer.ended_by === 'target') phase = 'complete';
  else if (timer.ended_by === 'max') phase = 'max';
  else phase = 'paused';
  return {
    phase,
    elapsedMs,
    remainingMs: target === null || phase === 'idle' ? null : Math.max(0, target - elapsedMs),
    progress: target === null || target <= 0 ? null : Math.min(1, elapsedMs / target),
  };
}

/** The words for a phase: "Focusing", "Paused", "Ready", "Interval complete", "Stopped after…". */
export function phaseText(phase: TimerPhase, maxRunHours: number | null): string {
  switch (phase) {
    case 'idle':
      return 'Ready';
    case 'running':
      return 'Focusing';
    case 'paused':
      return 'Paused';
    case 'complete':
      return 'Interval complete';
    case 'max':
      return maxRunHours === null
        ? 'Stopped at the longest run allowed'
        : `Stopped after ${maxRunHours} ${maxRunHours === 1 ? 'hour' : 'hours'} (the longest run)`;
  }
}

const INITIAL: Omit<TimerSnapshot, 'now' | 'live'> = {
  load: 'loading',
  loadError: null,
  timer: null,
  offset: 0,
  busy: null,
  actionError: null,
  maxRunHours: null,
};

const FAILED: Record<TimerAction, string> = {
  start: 'Could not start the timer.',
  pause: 'Could not pause the timer.',
  reset: 'Could not reset the timer.',
};

export interface FocusTimer {
  readonly state: Store<TimerSnapshot>;
  /** Each newer timer state (not the ticks). */
  readonly changed: Emitter<[previous: TimerState | null, next: TimerState]>;
  /** Once per run that ends by itself at its target or at the longest run. */
  readonly ended: Emitter<[reason: EndReason, timer: TimerState]>;
  /** Loads the timer and follows the socket; returns the stop. */
  start: () => () => void;
  /** Reads the timer again; a failure only shows while nothing is known yet. */
  refresh: () => Promise<void>;
  /** Start or resume (already running: unchanged). Resolves to whether it worked. */
  startRun: (body?: StartTimerBody) => Promise<boolean>;
  pause: () => Promise<boolean>;
  reset: () => Promise<boolean>;
}

/** One page's copy of the focus timer: the shell makes it; the clock page and the floating timer read it. */
export function createFocusTimer(live: Live): FocusTimer {
  const state = createStore<TimerSnapshot>({ ...INITIAL, now: Date.now(), live: live.status });
  const changed = createEmitter<[TimerState | null, TimerState]>();
  const ended = createEmitter<[EndReason, TimerState]>();
  let ticker: ReturnType<typeof setInterval> | undefined;
  /** `run_started_at` of runs whose end was already announced (once per run, however it is learned). */
  const announcedEnds = new Set<string>();
  let lastTickKey = '';

  /** Takes a state from an answer or a push, unless a newer one is already here. */
  function accept(next: TimerState): void {
    const previous = state.get().timer;
    if (previous !== null && next.version < previous.version) return;
    const now = Date.now();
    state.set({ timer: next, offset: Date.parse(next.server_time) - now, now, load: 'ready', loadError: null });
    if (previous === null || previous.version !== next.version) {
      changed.emit(previous, next);
      if (next.ended_by !== null && previous?.state === 'running' && previous.run_started_at !== null) {
        announceEnd(next.ended_by, previous.run_started_at, next);
      }
    }
    syncTicker();
  }

  function announceEnd(reason: EndReason, runKey: string, timer: TimerState): void {
    if (announcedEnds.has(runKey)) return;
    announcedEnds.add(runKey);
    ended.emit(reason, timer);
  }

  function syncTicker(): void {
    const running = state.get().timer?.state === 'running';
    if (running && ticker === undefined) {
      ticker = setInterval(tick, TICK_MS);
      tick();
    } else if (!running && ticker !== undefined) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }

  function tick(): void {
    const { timer, offset } = state.get();
    if (timer === null || timer.state !== 'running') return;
    const now = Date.now();
    const clock = clockOf(timer, offset, now);
    // Shown (and announced) at the instant it is reached here; the server's push follows.
    if (clock.phase === 'complete' && timer.run_started_at !== null) announceEnd('target', timer.run_started_at, timer);
    // Re-render only when what is shown changes (once a second).
    const key = `${timer.version}:${clock.phase}:${Math.floor(clock.elapsedMs / 1000)}`;
    if (key !== lastTickKey) {
      lastTickKey = key;
      state.set({ now });
    }
  }

  async function refresh(): Promise<void> {
    if (state.get().load === 'error') state.set({ load: 'loading', loadError: null });
    try {
      accept(await api.getTimer());
    } catch (error) {
      if (state.get().timer === null) state.set({ load: 'error', loadError: errorMessage(error) });
    }
  }

  async function act(action: TimerAction, call: () => Promise<TimerState>): Promise<boolean> {
    if (state.get().busy !== null) return false;
    state.set({ busy: action, actionError: null });
    let ok = false;
    try {
      accept(await call());
      ok = true;
    } catch (error) {
      state.set({ actionError: `${FAILED[action]} ${errorMessage(error)}` });
    } finally {
      state.set({ busy: null });
    }
    return ok;
  }

  function start(): () => void {
    const hello = live.latest('hello');
    state.set({ live: live.status, ...(hello === undefined ? {} : { maxRunHours: hello.limits.max_run_hours }) });
    const stops = [
      live.on('timer.updated', (event) => accept(event.timer)),
      live.on('hello', (event) => state.set({ maxRunHours: event.limits.max_run_hours })),
      live.onStatus((status) => {
        state.set({ live: status });
        // Something may have changed while the socket was away (and the first open closes the
        // gap between the first read and the socket).
        if (status === 'open') void refresh();
      }),
    ];
    void refresh();
    return () => {
      for (const stop of stops) stop();
      clearInterval(ticker);
      ticker = undefined;
    };
  }

  return {
    state,
    changed,
    ended,
    start,
    refresh,
    startRun: (body = {}) => act('start', () => api.startTimer(body)),
    pause: () => act('pause', api.pauseTimer),
    reset: () => act('reset', api.resetTimer),
  };
}
