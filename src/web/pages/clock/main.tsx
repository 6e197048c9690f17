import { useEffect, useRef, useState } from 'preact/hooks';
import type { StartTimerBody, TimerState } from '../../../protocol/timer.js';
import { mount } from '../../lib/mount.js';
import { SignedInPage } from '../../lib/shell.js';
import { formatElapsed } from '../../lib/timer-format.js';
import { useTimer, useTimerChange, useTimerEnd } from '../../lib/timer-hooks.js';
import {
  clockOf,
  pauseTimer,
  phaseText,
  refreshTimer,
  resetTimer,
  startTimer,
  type EndReason,
} from '../../lib/timer-store.js';
import { ErrorBox, PageLoading } from '../../lib/ui.js';
import { readAnnounce } from '../../lib/announce.js';
import { beep, showNotification, unlockAudio } from './alerts.js';
import { useBreak } from './break.js';
import { ClockCard } from './clock-card.js';
import { useSessions } from './history.js';
import { HistoryCard, TodayCard } from './history-view.js';
import { focusMinutes, usePreferences } from './preferences.js';
import { LABEL_MAX } from './session-row.js';
import { useTasks } from './tasks.js';
import { TasksCard } from './tasks-card.js';
import './main.css';

const PAGE_TITLE = 'Focus clock · CodeChicks';

/** The run going on now (for today's total): when it started and how long it has run, on the server's clock. */
function runInProgress(timer: TimerState, elapsedMs: number): { startedAt: number; ms: number } | null {
  if (timer.state !== 'running' || timer.run_started_at === null) return null;
  const startedAt = Date.parse(timer.run_started_at);
  const before = timer.elapsed_ms - (Date.parse(timer.server_time) - startedAt);
  return { startedAt, ms: Math.max(0, elapsedMs - before) };
}

function ClockPage() {
  const snapshot = useTimer();
  const [preferences, updatePreferences] = usePreferences();
  const history = useSessions();
  const tasks = useTasks();
  const [label, setLabel] = useState('');
  const [labelError, setLabelError] = useState<string | null>(null);
  const [focusError, setFocusError] = useState<string | null>(null);

  const announce = (title: string, body: string) => {
    if (preferences.sound) beep();
    if (preferences.notify) showNotification(title, body);
  };
  const pause = useBreak(() => announce('Break over', 'Ready for the next focus interval?'));

  useTimerEnd((reason: EndReason, timer) => {
    if (reason === 'target') {
      announce('Interval complete', timer.label ? `Done: ${timer.label}. Time for a break.` : 'Time for a break.');
    } else {
      announce('Focus timer stopped', 'The run reached the longest time allowed.');
    }
  });

  useTimerChange((previous, next) => {
    // A run ended (here, in another tab, or by itself): it is in the history now.
    if (previous?.state === 'running' && next.state !== 'running') {
      history.reload();
      void tasks.reload().catch(() => undefined);
    }
    // A new run or a reset ends any break.
    if (next.state !== 'paused') pause.clear();
  });

  // The label field follows the server's label unless the person has typed something else.
  const serverLabel = snapshot.timer?.label ?? '';
  const syncedLabel = useRef<string | null>(null);
  useEffect(() => {
    if (syncedLabel.current === null || label === syncedLabel.current) setLabel(serverLabel);
    syncedLabel.current = serverLabel;
    // Only a new server label resyncs (the draft is read, not watched).
  }, [serverLabel]);

  // Browsers allow sound only after a gesture: any click or key on this page unlocks it.
  const soundOn = useRef(preferences.sound);
  soundOn.current = preferences.sound;
  useEffect(() => {
    const unlock = () => {
      if (soundOn.current) unlockAudio();
    };
    addEventListener('pointerdown', unlock, true);
    addEventListener('keydown', unlock, true);
    return () => {
      removeEventListener('pointerdown', unlock, true);
      removeEventListener('keydown', unlock, true);
    };
  }, []);

  const timer = snapshot.timer;
  const clock = timer ? clockOf(timer, snapshot.offset, snapshot.now) : null;

  // The time in the tab's title, so it shows from other tabs.
  const title =
    timer && clock && timer.state !== 'idle'
      ? `${formatElapsed(clock.elapsedMs)} · ${phaseText(clock.phase, null)}`
      : '';
  useEffect(() => {
    document.title = title ? `${title} · ${PAGE_TITLE}` : PAGE_TITLE;
  }, [title]);

  /** Starts (or resumes) with the label typed, or with a goal's title when started from it. */
  const onStart = (fromTask?: string) => {
    if (!timer || !clock) return;
    if (fromTask !== undefined) setLabel(fromTask);
    const trimmed = (fromTask ?? label).trim();
    if (trimmed.length > LABEL_MAX) {
      setLabelError(`The label can be at most ${LABEL_MAX} characters.`);
      return;
    }
    setLabelError(null);
    const body: StartTimerBody = { label: trimmed, announce: readAnnounce() };
    // The chosen interval applies to a new run or the next one; resuming keeps the current one.
    if (timer.state === 'idle' || clock.phase === 'complete') {
      // The field shows what is wrong with the custom minutes.
      if (preferences.mode === 'custom' && focusError) return;
      const minutes = focusMinutes(preferences);
      if (minutes !== null) body.target_minutes = minutes;
    }
    void startTimer(body);
  };

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
              onRetry={() => void refreshTimer()}
            />
          )}
          {timer && clock && (
            <ClockCard
              timer={timer}
              clock={clock}
              busy={snapshot.busy}
              actionError={snapshot.actionError}
              maxRunHours={snapshot.maxRunHours}
              live={snapshot.live}
              preferences={preferences}
              updatePreferences={updatePreferences}
              label={label}
              setLabel={(value) => {
                setLabel(value);
                setLabelError(null);
              }}
              labelError={labelError}
              focusError={focusError}
              setFocusError={setFocusError}
              pause={pause.state}
              onStart={() => onStart()}
              onPause={() => void pauseTimer()}
              onReset={() => void resetTimer()}
              onStartBreak={(minutes) => {
                unlockAudio();
                pause.start(minutes);
              }}
              onEndBreak={pause.finish}
            />
          )}
        </div>
        <div class="page-column">
          <TasksCard tasks={tasks} onStart={onStart} />
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
