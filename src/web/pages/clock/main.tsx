import { useEffect, useState } from 'preact/hooks';
import type { TimerState } from '../../../protocol/timer.js';
import { mount } from '../../lib/mount.js';
import { SignedInPage } from '../../lib/shell.js';
import { useStore } from '../../lib/store.js';
import { formatElapsed } from '../../lib/timer-format.js';
import { useFocusTimer, useTimer, useTimerChange } from '../../lib/timer-hooks.js';
import { clockOf, phaseText, type TimerClock } from '../../lib/timer-store.js';
import { ErrorBox, PageLoading } from '../../lib/ui.js';
import { useBreak } from './break.js';
import { ClockCard } from './clock-card.js';
import { useSessions } from './history.js';
import { HistoryCard, TodayCard } from './history-view.js';
import { createClockPlan } from './plan.js';
import { useTasks } from './tasks.js';
import { TasksCard } from './tasks-card.js';
import { useClockAlerts } from './use-clock-alerts.js';
import './main.css';

const PAGE_TITLE = 'Focus clock · CodeChicks';

/** The run going on now (for today's total): when it started and how long it has run, on the server's clock. */
function runInProgress(timer: TimerState, elapsedMs: number): { startedAt: number; ms: number } | null {
  if (timer.state !== 'running' || timer.run_started_at === null) return null;
  const startedAt = Date.parse(timer.run_started_at);
  const before = timer.elapsed_ms - (Date.parse(timer.server_time) - startedAt);
  return { startedAt, ms: Math.max(0, elapsedMs - before) };
}

/** The time in the tab's title, so it shows from other tabs. */
function useClockTitle(timer: TimerState | null, clock: TimerClock | null): void {
  const title =
    timer && clock && timer.state !== 'idle'
      ? `${formatElapsed(clock.elapsedMs)} · ${phaseText(clock.phase, null)}`
      : '';
  useEffect(() => {
    document.title = title ? `${title} · ${PAGE_TITLE}` : PAGE_TITLE;
  }, [title]);
}

function ClockPage() {
  const focusTimer = useFocusTimer();
  const snapshot = useTimer();
  const [plan] = useState(() => createClockPlan(focusTimer));
  const preferences = useStore(plan.state, (state) => state.preferences);
  const history = useSessions();
  const tasks = useTasks();
  const announce = useClockAlerts(preferences);
  const pause = useBreak(() => announce('Break over', 'Ready for the next focus interval?'));

  useTimerChange((previous, next) => {
    // A run ended (here, in another tab, or by itself): it is in the history and its goal's time now.
    if (previous?.state === 'running' && next.state !== 'running') {
      history.reload();
      void tasks.reload();
    }
    // A new run or a reset ends any break.
    if (next.state !== 'paused') pause.clear();
  });

  const serverLabel = snapshot.timer?.label ?? '';
  useEffect(() => plan.followServerLabel(serverLabel), [plan, serverLabel]);

  const timer = snapshot.timer;
  const clock = timer ? clockOf(timer, snapshot.offset, snapshot.now) : null;
  useClockTitle(timer, clock);
  const running = timer && clock ? runInProgress(timer, clock.elapsedMs) : null;
  const now = snapshot.now + snapshot.offset;

  return (
    <>
      <div class="page-header">
        <div>
          <p class="eyebrow">Focus</p>
          <h1 class="page-title">Focus clock</h1>
          <p class="page-subtitle">One timer that follows you to every tab and device.</p>
        </div>
      </div>
      <div class="page-columns clock-layout">
        <div class="page-column">
          {snapshot.load === 'loading' && !timer && <PageLoading label="Loading your timer…" />}
          {snapshot.load === 'error' && (
            <ErrorBox
              title="Could not load your timer"
              message={snapshot.loadError ?? 'Something went wrong. Please try again.'}
              onRetry={() => void focusTimer.refresh()}
            />
          )}
          <ClockCard plan={plan} pause={pause} />
        </div>
        <div class="page-column">
          <TasksCard tasks={tasks} onStart={plan.start} />
          <TodayCard state={history.state} now={now} running={running} />
          <HistoryCard
            state={history.state}
            refreshError={history.refreshError}
            now={now}
            onRetry={history.retry}
            onRelabel={history.relabel}
            onDelete={history.remove}
          />
        </div>
      </div>
    </>
  );
}

mount(<SignedInPage active="clock">{() => <ClockPage />}</SignedInPage>);
