import { AnnounceCheckbox } from '../../lib/announce.js';
import { Coffee, Pause, Play, RotateCcw } from 'lucide';
import type { TimerState } from '../../../protocol/timer.js';
import { inputValue } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import type { LiveStatus } from '../../lib/live.js';
import { formatCountdown, formatElapsed, minutesOf } from '../../lib/timer-format.js';
import { phaseText, type TimerAction, type TimerClock } from '../../lib/timer-store.js';
import { FormMessage, Spinner } from '../../lib/ui.js';
import type { BreakState } from './break.js';
import { AlertToggles, IntervalPicker } from './controls.js';
import { breakMinutes, focusMinutes, type Preferences } from './preferences.js';
import { LABEL_MAX } from './session-row.js';
import '../../lib/timer-phase.css';
import './clock-card.css';

export interface ClockCardProps {
  timer: TimerState;
  clock: TimerClock;
  busy: TimerAction | null;
  actionError: string | null;
  maxRunHours: number | null;
  live: LiveStatus;
  preferences: Preferences;
  updatePreferences: (changes: Partial<Preferences>) => void;
  label: string;
  setLabel: (label: string) => void;
  labelError: string | null;
  focusError: string | null;
  setFocusError: (error: string | null) => void;
  pause: BreakState;
  onStart: () => void;
  onPause: () => void;
  onReset: () => void;
  onStartBreak: (minutes: number) => void;
  onEndBreak: () => void;
}

const LIVE_TEXT: Record<LiveStatus, string> = {
  open: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
};

/** The big clock, its state, the interval's progress, the break, and the controls. */
export function ClockCard(props: ClockCardProps) {
  const { timer, clock, busy, preferences, pause } = props;
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
          {phaseText(clock.phase, props.maxRunHours)}
        </p>
        <p class={`live-badge is-${props.live}`} role="status">
          <span class="live-dot" aria-hidden="true" />
          {LIVE_TEXT[props.live]}
        </p>
      </div>
      <p class="clock-time" role="timer" data-testid="clock-time">
        {formatElapsed(clock.elapsedMs)}
      </p>
      {timer.label && timer.state !== 'idle' && <p class="clock-label">{timer.label}</p>}
      <Progress timer={timer} clock={clock} />

      {clock.phase === 'complete' && (
        <BreakPanel
          pause={pause}
          minutes={breakMinutes(preferences, timer.target_ms)}
          onStartBreak={props.onStartBreak}
          onEndBreak={props.onEndBreak}
        />
      )}

      <form
        class="clock-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!running) props.onStart();
        }}
      >
        <div class={props.labelError ? 'field field-invalid' : 'field'}>
          <label class="field-label" for="timer-label">
            What are you focusing on? <span class="field-optional">(optional)</span>
          </label>
          <input
            id="timer-label"
            class="input"
            value={props.label}
            maxLength={LABEL_MAX}
            placeholder="e.g. Review the pull request"
            aria-invalid={props.labelError ? true : undefined}
            aria-describedby={props.labelError ? 'timer-label-error' : 'timer-label-hint'}
            onInput={(event) => props.setLabel(inputValue(event))}
          />
          {props.labelError ? (
            <p class="field-error" id="timer-label-error">
              {props.labelError}
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
          update={props.updatePreferences}
          focusError={props.focusError}
          setFocusError={props.setFocusError}
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
              onClick={props.onPause}
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
            onClick={props.onReset}
          >
            {busy === 'reset' ? <Spinner /> : <Icon icon={RotateCcw} />}
            <span>Reset</span>
          </button>
        </div>
      </form>
      <FormMessage error={props.actionError} />
      <AlertToggles preferences={preferences} update={props.updatePreferences} />
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
