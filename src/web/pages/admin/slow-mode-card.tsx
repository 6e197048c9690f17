import { useEffect, useState } from 'preact/hooks';
import { SLOW_MODE_MAX_SECONDS } from '../../../protocol/moderation.js';
import { inputValue, TextField, useSubmit } from '../../lib/forms.js';
import { FormMessage, Spinner } from '../../lib/ui.js';
import { getChatSettings, putChatSettings } from './admin-api.js';
import './slow-mode-card.css';

/** Slow mode: members may post one message per that many seconds; every open chat page hears of it. */
export function SlowModeCard({ onSaved }: { onSaved: () => void }) {
  const [seconds, setSeconds] = useState('');
  const form = useSubmit();
  useEffect(() => {
    getChatSettings().then(
      (settings) => setSeconds(String(settings.slow_mode_seconds)),
      () => setSeconds('0'),
    );
  }, []);
  const save = (event: Event) => {
    event.preventDefault();
    void form.run(async () => {
      const saved = await putChatSettings({ slow_mode_seconds: Number(seconds) });
      onSaved();
      return saved.slow_mode_seconds === 0
        ? 'Slow mode is off.'
        : `Slow mode: one message per ${saved.slow_mode_seconds} s.`;
    });
  };
  return (
    <section aria-labelledby="slow-heading" class="section glass-card admin-panel">
      <h2 id="slow-heading" class="section-title">
        Slow mode
      </h2>
      <form class="slow-mode-form" onSubmit={save}>
        <TextField
          id="slow-mode-seconds"
          label="Seconds between a member's messages"
          hint={`0 turns it off; at most ${SLOW_MODE_MAX_SECONDS}. Admins are exempt.`}
          type="number"
          min={0}
          max={SLOW_MODE_MAX_SECONDS}
          value={seconds}
          error={form.fieldErrors.slow_mode_seconds}
          onInput={(event) => setSeconds(inputValue(event))}
        />
        <button type="submit" class="btn btn-primary" disabled={form.busy}>
          {form.busy && <Spinner />}
          <span>Save</span>
        </button>
      </form>
      <FormMessage error={form.error} success={form.success} />
    </section>
  );
}
