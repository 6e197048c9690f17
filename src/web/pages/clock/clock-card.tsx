import { AnnounceCheckbox } from '../../lib/announce.js';
import { Coffee, Pause, Play, RotateCcw } from 'lucide';
import type { TimerState } from '../../../protocol/timer.js';
import { inputValue } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import type { LiveStatus } from '../../lib/live.js';
import { useStore } from '../../lib/store.js';
import { formatCountdown, formatElapsed, minutesOf } from '../../lib/timer-format.js';
import { useFocusTimer, useTimer } from '../../lib/timer-hooks.js';
import { clockOf, phaseText, type TimerClock } from '../../lib/timer-store.js';
import { FormMessage, Spinner } from '../../lib/ui.js';
import { unlockAudio } from './alerts.js';
import type { Break, BreakState } from './break.js';
import { AlertToggles, IntervalPicker } from './controls.js';
import type { ClockPlan } from './plan.js';
import { breakMinutes, focusMinutes } from './preferences.js';
import { LABEL_MAX } from './session-row.js';
import '../../lib/timer-phase.css';
import './clock-card.css';

export interface ClockCardProps {
  plan: ClockPlan;
  pause: Break;
}

const LIVE_TEXT: Record<LiveStatus, string> = {
  open: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
};

/** The big clock, its state, the interval's progress, the break, and the controls. */
export function ClockCard({ plan, pause }: ClockCardProps) {
  const focusTimer = useFocusTimer();
  const snapshot = useTimer();
  const { preferences, label, labelError, focusError } = useStore(plan.state);
  const { timer, busy } = snapshot;
  if (timer === null) return null;
  const clock = clockOf(timer, snapshot.offset, snapshot.now);
  const running = timer.state === 'running';
  const primaryLabel = timer.state === 'idle' ? 'Start' : clock.phase === 'complete' ? 'Start next interval' : 'Resume';
  // What the next start uses: the chosen interval, or after an interval without one chosen, the same again.
  const chosen = focusMinutes(preferences);
  const planned =
    chosen === null && clock.phase === 'complete' && timer.target_ms !== null ? minutesOf(timer.target_ms) : chosen;

  return (
    <section class={`glass-card clock-card is-${clock.phase}`} aria-labelledby="clock-heading">
      <h2 id="clock-heading" class="visually-hidden">
        Timer
      </h2>
      <div class="clock-top">
        <p class="clock-state" data-testid="clock-state" aria-live="polite">
          <span class="phase-dot" aria-hidden="true" />
          {phaseText(clock.phase, snapshot.maxRunHours)}
        </p>
        <p class={`live-badge is-${snapshot.live}`} role="status">
          <span class="live-dot" aria-hidden="true" />
          {LIVE_TEXT[snapshot.live]}
        </p>
      </div>
      <p class="clock-time" role="timer" data-testid="clock-time">
        {formatElapsed(clock.elapsedMs)}
      </p>
      {timer.label && timer.state !== 'idle' && <p class="clock-label">{timer.label}</p>}
      <Progress timer={timer} clock={clock} />

      {clock.phase === 'complete' && (
        <BreakPanel
          pause={pause.state}
          minutes={breakMinutes(preferences, timer.target_ms)}
          onStartBreak={(minutes) => {
            unlockAudio();
            pause.start(minutes);
          }}
          onEndBreak={pause.finish}
        />
      )}

      <form
        class="clock-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!running) plan.start();
        }}
      >
        <div class={labelError ? 'field field-invalid' : 'field'}>
          <label class="field-label" for="timer-label">
            What are you focusing on? <span class="field-optional">(optional)</span>
          </label>
          <input
            id="timer-label"
            class="input"
            value={label}
            maxLength={LABEL_MAX}
            placeholder="e.g. Review the pull request"
            aria-invalid={labelError ? true : undefined}
            aria-describedby={labelError ? 'timer-label-error' : 'timer-label-hint'}
            onInput={(event) => plan.setLabel(inputValue(event))}
          />
          {labelError ? (
            <p class="field-error" id="timer-label-error">
              {labelError}
            </p>
          ) : (
            <p class="field-hint" id="timer-label-hint">
              {running ? 'A new label applies when you resume or start again.' : `Up to ${LABEL_MAX} characters.`}
            </p>
          )}
        </div>
        <AnnounceCheckbox id="timer-announce" />
        <IntervalPicker
          preferences={preferences}
          update={plan.updatePreferences}
          focusError={focusError}
          setFocusError={plan.setFocusError}
        />
        <p class="field-hint interval-hint">
          {planned === null
            ? 'Next run: a plain stopwatch that counts up until you pause.'
            : `Next interval: ${planned} min of focus, then a ${breakMinutes(preferences, planned * 60_000)} min break.`}
          {clock.phase === 'paused' && ' Resume continues the paused run as it was.'}
        </p>
        <div class="clock-buttons">
          {running ? (
            <button
              type="button"
              class="btn btn-primary btn-large"
              disabled={busy !== null}
              aria-busy={busy === 'pause'}
              onClick={() => void focusTimer.pause()}
            >
              {busy === 'pause' ? <Spinner /> : <Icon icon={Pause} />}
              <span>Pause</span>
            </button>
          ) : (
            <button
              type="submit"
              class="btn btn-primary btn-large"
              disabled={busy !== null}
              aria-busy={busy === 'start'}
            >
              {busy === 'start' ? <Spinner /> : <Icon icon={Play} />}
              <span>{primaryLabel}</span>
            </button>
          )}
          <button
            type="button"
            class="btn btn-secondary btn-large"
            disabled={busy !== null || timer.state === 'idle'}
            aria-busy={busy === 'reset'}
            onClick={() => void focusTimer.reset()}
          >
            {busy === 'reset' ? <Spinner /> : <Icon icon={RotateCcw} />}
            <span>Reset</span>
          </button>
        </div>
      </form>
      <FormMessage error={snapshot.actionError} />
      <AlertToggles preferences={preferences} update={plan.updatePreferences} />
    </section>
  );
}

function Progress({ timer, clock }: { timer: TimerState; clock: TimerClock }) {
  if (timer.target_ms === null || clock.progress === null || timer.state === 'idle') return null;
  const percent = Math.round(clock.progress * 100);
  const minutes = minutesOf(timer.target_ms);
  return (
    <div class="clock-progress">
      <div
        class="progress-track"
        role="progressbar"
        aria-label={`Progress of the ${minutes}-minute interval`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <span class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p class="progress-text" data-testid="clock-target">
        {clock.phase === 'complete'
          ? `Interval of ${minutes} min done`
          : `${formatCountdown(clock.remainingMs ?? 0)} left of ${minutes} min`}
      </p>
    </div>
  );
}

interface BreakPanelProps {
  pause: BreakState;
  minutes: number;
  onStartBreak: (minutes: number) => void;
  onEndBreak: () => void;
}

/** After an interval: take the break (a countdown here, not recorded), then the next interval. */
function BreakPanel({ pause, minutes, onStartBreak, onEndBreak }: BreakPanelProps) {
  if (pause.kind === 'running') {
    return (
      <div class="break-panel is-running" role="group" aria-label="Break">
        <p class="break-title">
          <Icon icon={Coffee} size={18} />
          Break
        </p>
        <p class="break-time" role="timer" data-testid="break-time">
          {formatCountdown(pause.endsAt - pause.now)}
        </p>
        <p class="muted">Stand up, stretch, drink some water. This time is not recorded.</p>
        <div class="button-row">
          <button type="button" class="btn btn-secondary" onClick={onEndBreak}>
            End break
          </button>
        </div>
      </div>
    );
  }
  return (
    <div class="break-panel" role="group" aria-label="Next step">
      <p class="break-title">
        <Icon icon={Coffee} size={18} />
        {pause.kind === 'over'
          ? 'Break over: ready for the next interval?'
          : `Well done! Take a ${minutes}-minute break, or go straight on.`}
      </p>
      {pause.kind === 'none' && (
        <div class="button-row">
          <button type="button" class="btn btn-secondary" onClick={() => onStartBreak(minutes)}>
            <Icon icon={Coffee} size={16} />
            <span>Start {minutes}-min break</span>
          </button>
        </div>
      )}
    </div>
  );
}
