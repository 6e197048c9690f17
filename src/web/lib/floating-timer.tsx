import { GripVertical, Pause, Play, RotateCcw, Timer, X } from 'lucide';
import { useRef, useState } from 'preact/hooks';
import { formatClock } from './format.js';
import { AnnounceCheckbox, readAnnounce } from './announce.js';
import { Icon } from './icon.js';
import { formatElapsed } from './timer-format.js';
import { useFocusTimer, useTimer, useTimerChange } from './timer-hooks.js';
import { useFloatingPlacement } from './timer-placement.js';
import { clockOf, phaseText, runEndsAt } from './timer-store.js';
import { Button, IconButton } from './ui.js';
import './floating-timer.css';
import './timer-phase.css';

/** Where focus goes when the timer disappears under it (hidden or reset). */
function focusMain(): void {
  document.getElementById('main')?.focus();
}

/**
 * The small timer on every signed-in page while a run is going or paused: draggable, with
 * pause/resume, reset and a link to the clock. `hidden` on the clock page, whose big clock shows.
 */
export function FloatingTimer({ hidden = false }: { hidden?: boolean }) {
  const focusTimer = useFocusTimer();
  const snapshot = useTimer();
  const [dismissed, setDismissed] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  // × hides it for this page view; a run starting (here or elsewhere) brings it back.
  useTimerChange((previous, next) => {
    if (next.state === 'running' && previous?.state !== 'running') setDismissed(false);
  });

  const timer = snapshot.timer;
  const visible = !hidden && !dismissed && timer !== null && timer.state !== 'idle';
  const placement = useFloatingPlacement(panel, visible);
  if (!visible || timer === null) return null;

  const clock = clockOf(timer, snapshot.offset, snapshot.now);
  const endsAt = runEndsAt(timer);
  const busy = snapshot.busy !== null;
  const running = timer.state === 'running';
  const resumeLabel = clock.phase === 'complete' ? 'Start the next interval' : 'Resume timer';

  const onReset = async () => {
    const hadFocus = panel.current?.contains(document.activeElement) ?? false;
    if ((await focusTimer.reset()) && hadFocus) focusMain();
  };

  return (
    <div
      ref={panel}
      class={`floating-timer is-${clock.phase}`}
      role="region"
      aria-label="Focus timer"
      data-testid="floating-timer"
      onPointerDown={placement.onPointerDown}
      onPointerMove={placement.onPointerMove}
      onPointerUp={placement.onPointerEnd}
      onPointerCancel={placement.onPointerEnd}
      onLostPointerCapture={placement.onPointerEnd}
    >
      <div class="ft-head">
        <div
          class="ft-handle"
          tabIndex={0}
          role="button"
          aria-roledescription="drag handle"
          aria-label="Move the focus timer"
          aria-describedby="ft-move-hint"
          title="Drag to move (or focus and use the arrow keys)"
          onKeyDown={placement.onHandleKeyDown}
        >
          <Icon icon={GripVertical} size={18} />
        </div>
        <p class="ft-state" aria-live="polite">
          <span class="phase-dot" aria-hidden="true" />
          {phaseText(clock.phase, snapshot.maxRunHours)}
        </p>
        <IconButton
          icon={X}
          iconSize={18}
          label="Hide the timer on this page"
          title="Hide on this page"
          onClick={() => {
            focusMain();
            setDismissed(true);
          }}
        />
      </div>
      <p class="ft-time" role="timer" data-testid="floating-time">
        {formatElapsed(clock.elapsedMs)}
      </p>
      {endsAt !== null && clock.phase === 'running' && (
        <p class="ft-ends" data-testid="floating-ends">
          Ends at {formatClock(new Date(endsAt).toISOString())}
        </p>
      )}
      {timer.label && (
        <p class="ft-label" title={timer.label}>
          {timer.label}
        </p>
      )}
      <div class="ft-actions">
        {running ? (
          <Button
            variant="primary"
            size="small"
            aria-label="Pause timer"
            disabled={busy}
            aria-busy={snapshot.busy === 'pause'}
            onClick={() => void focusTimer.pause()}
          >
            <Icon icon={Pause} size={16} />
            <span aria-hidden="true">Pause</span>
          </Button>
        ) : (
          <Button
            variant="primary"
            size="small"
            aria-label={resumeLabel}
            disabled={busy}
            aria-busy={snapshot.busy === 'start'}
            onClick={() => void focusTimer.startRun({ announce: readAnnounce() })}
          >
            <Icon icon={Play} size={16} />
            <span aria-hidden="true">{clock.phase === 'complete' ? 'Next' : 'Resume'}</span>
          </Button>
        )}
        <Button
          variant="secondary"
          size="small"
          aria-label="Reset timer"
          title="Reset"
          disabled={busy}
          aria-busy={snapshot.busy === 'reset'}
          onClick={() => void onReset()}
        >
          <Icon icon={RotateCcw} size={16} />
        </Button>
        <a class="ft-link" href="/clock" aria-label="Open the focus clock">
          <Icon icon={Timer} size={16} />
          <span aria-hidden="true">Clock</span>
        </a>
      </div>
      {!running && (
        <div class="ft-announce" data-no-drag>
          <AnnounceCheckbox id="ft-announce" compact />
        </div>
      )}
      <div class="ft-error" role="alert">
        {snapshot.actionError}
      </div>
      <span id="ft-move-hint" class="visually-hidden">
        Arrow keys move the timer by 10 pixels, with Shift by 50.
      </span>
      <span
        class="ft-resize"
        data-no-drag
        aria-hidden="true"
        title="Drag to make it wider or narrower"
        onPointerDown={placement.onResizeStart}
      />
    </div>
  );
}
