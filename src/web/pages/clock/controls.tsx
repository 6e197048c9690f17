import { useState } from 'preact/hooks';
import { inputValue } from '../../lib/forms.js';
import { askNotifyPermission, notifySupport, unlockAudio, type NotifySupport } from './alerts.js';
import { BREAK_LIMITS, FOCUS_LIMITS, MODES, type Mode, type Preferences } from './preferences.js';
import './controls.css';

interface IntervalPickerProps {
  preferences: Preferences;
  update: (changes: Partial<Preferences>) => void;
  focusError: string | null;
  setFocusError: (error: string | null) => void;
}

function parseMinutes(text: string, limits: { min: number; max: number }): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const value = Number(text);
  return value >= limits.min && value <= limits.max ? value : null;
}

/** Stopwatch, the two pomodoro presets, or custom focus and break minutes. */
export function IntervalPicker({ preferences, update, focusError, setFocusError }: IntervalPickerProps) {
  const [focusText, setFocusText] = useState(String(preferences.customFocus));
  const [breakText, setBreakText] = useState(String(preferences.customBreak));
  const [breakError, setBreakError] = useState<string | null>(null);

  return (
    <fieldset class="interval-picker">
      <legend class="field-label">Interval</legend>
      <div class="segmented">
        {MODES.map((entry) => (
          <label key={entry.mode} class="segment">
            <input
              type="radio"
              name="mode"
              value={entry.mode}
              checked={preferences.mode === entry.mode}
              onChange={() => update({ mode: entry.mode satisfies Mode })}
            />
            <span>{entry.label}</span>
          </label>
        ))}
      </div>
      {preferences.mode === 'custom' && (
        <div class="custom-minutes">
          <div class={focusError ? 'field field-invalid' : 'field'}>
            <label class="field-label" for="custom-focus">
              Focus minutes
            </label>
            <input
              id="custom-focus"
              class="input"
              type="number"
              inputMode="numeric"
              min={FOCUS_LIMITS.min}
              max={FOCUS_LIMITS.max}
              step={1}
              value={focusText}
              aria-invalid={focusError ? true : undefined}
              aria-describedby={focusError ? 'custom-focus-error' : undefined}
              onInput={(event) => {
                const text = inputValue(event);
                setFocusText(text);
                const minutes = parseMinutes(text, FOCUS_LIMITS);
                setFocusError(minutes === null ? `Focus minutes: a whole number from 1 to ${FOCUS_LIMITS.max}` : null);
                if (minutes !== null) update({ customFocus: minutes });
              }}
            />
            {focusError && (
              <p class="field-error" id="custom-focus-error">
                {focusError}
              </p>
            )}
          </div>
          <div class={breakError ? 'field field-invalid' : 'field'}>
            <label class="field-label" for="custom-break">
              Break minutes
            </label>
            <input
              id="custom-break"
              class="input"
              type="number"
              inputMode="numeric"
              min={BREAK_LIMITS.min}
              max={BREAK_LIMITS.max}
              step={1}
              value={breakText}
              aria-invalid={breakError ? true : undefined}
              aria-describedby={breakError ? 'custom-break-error' : undefined}
              onInput={(event) => {
                const text = inputValue(event);
                setBreakText(text);
                const minutes = parseMinutes(text, BREAK_LIMITS);
                setBreakError(minutes === null ? `Break minutes: a whole number from 1 to ${BREAK_LIMITS.max}` : null);
                if (minutes !== null) update({ customBreak: minutes });
              }}
            />
            {breakError && (
              <p class="field-error" id="custom-break-error">
                {breakError}
              </p>
            )}
          </div>
        </div>
      )}
    </fieldset>
  );
}

/** Sound and notifications at the end of an interval or a break. */
export function AlertToggles({
  preferences,
  update,
}: {
  preferences: Preferences;
  update: (changes: Partial<Preferences>) => void;
}) {
  const [support, setSupport] = useState<NotifySupport>(notifySupport);
  const notifyOn = preferences.notify && support === 'granted';

  const onNotify = async (toggle: HTMLInputElement) => {
    if (!toggle.checked) {
      update({ notify: false });
      return;
    }
    // Asked only now, on the person's own click.
    const answer = await askNotifyPermission();
    setSupport(answer);
    update({ notify: answer === 'granted' });
    // A refusal leaves the state as it was, so the checkbox itself is set back.
    toggle.checked = answer === 'granted';
  };

  let notifyHint = 'A browser notification when an interval or a break ends.';
  if (support === 'denied')
    notifyHint = 'Notifications are blocked for this site: allow them in your browser’s settings.';
  if (support === 'unsupported') notifyHint = 'This browser cannot show notifications.';

  return (
    <div class="alert-toggles">
      <div class="switch-field">
        <input
          id="alert-sound"
          type="checkbox"
          class="switch"
          role="switch"
          checked={preferences.sound}
          aria-describedby="alert-sound-hint"
          onChange={(event) => {
            const checked = event.currentTarget.checked;
            if (checked) unlockAudio();
            update({ sound: checked });
          }}
        />
        <div>
          <label for="alert-sound" class="field-label">
            Sound
          </label>
          <p id="alert-sound-hint" class="field-hint">
            A short beep when an interval or a break ends.
          </p>
        </div>
      </div>
      <div class="switch-field">
        <input
          id="alert-notify"
          type="checkbox"
          class="switch"
          role="switch"
          checked={notifyOn}
          disabled={support === 'unsupported'}
          aria-describedby="alert-notify-hint"
          onChange={(event) => void onNotify(event.currentTarget)}
        />
        <div>
          <label for="alert-notify" class="field-label">
            Notify me
          </label>
          <p id="alert-notify-hint" class="field-hint">
            {notifyHint}
          </p>
        </div>
      </div>
    </div>
  );
}
