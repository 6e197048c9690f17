import { Timer } from 'lucide';
import { useRef, useState } from 'preact/hooks';
import { SPRINT_BREAK_MINUTES, SPRINT_FOCUS_MINUTES, type CreateSprintBody } from '../../../protocol/sprints.js';
import { Label } from '../../../protocol/timer.js';
import { inputValue, SelectField, TextField, useSubmit } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { FormMessage, SubmitButton } from '../../lib/ui.js';
import { createSprint } from './sprints.js';
import './chat-dialog.css';
import './sprint-dialog.css';

const STARTS = ['now', 'next_quarter_hour'] as const;

/** "Start a sprint": a button in the chat's header and the modal form it opens. */
export function SprintDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const [label, setLabel] = useState('');
  const [focus, setFocus] = useState(String(SPRINT_FOCUS_MINUTES.default));
  const [pause, setPause] = useState(String(SPRINT_BREAK_MINUTES.default));
  const [starts, setStarts] = useState<(typeof STARTS)[number]>('now');
  const { busy, error, fieldErrors, onSubmit, clearMessages } = useSubmit();

  const submit = onSubmit(async () => {
    const body: CreateSprintBody = {
      label: label.trim(),
      focus_minutes: Number(focus),
      break_minutes: Number(pause),
      starts,
    };
    await createSprint(body);
    setLabel('');
    ref.current?.close();
  });

  return (
    <>
      <button
        type="button"
        class="btn btn-secondary btn-small"
        onClick={() => {
          clearMessages();
          ref.current?.showModal();
        }}
      >
        <Icon icon={Timer} size={16} />
        <span>Start a sprint</span>
      </button>
      <dialog ref={ref} class="chat-dialog" aria-labelledby="sprint-form-title">
        <h2 id="sprint-form-title" class="chat-dialog-title">
          Start a group sprint
        </h2>
        <p class="muted">The people who join focus on it until the same end; the break follows.</p>
        <form class="form sprint-form" onSubmit={submit} noValidate>
          <TextField
            id="sprint-label"
            label="What you will focus on"
            value={label}
            maxLength={Label.maxLength}
            required
            autoFocus
            error={fieldErrors.label}
            onInput={(event) => setLabel(inputValue(event))}
          />
          <TextField
            id="sprint-focus"
            label="Focus (minutes)"
            type="number"
            inputMode="numeric"
            min={SPRINT_FOCUS_MINUTES.min}
            max={SPRINT_FOCUS_MINUTES.max}
            value={focus}
            required
            error={fieldErrors.focus_minutes}
            onInput={(event) => setFocus(inputValue(event))}
          />
          <TextField
            id="sprint-break"
            label="Break (minutes)"
            type="number"
            inputMode="numeric"
            min={SPRINT_BREAK_MINUTES.min}
            max={SPRINT_BREAK_MINUTES.max}
            value={pause}
            required
            error={fieldErrors.break_minutes}
            onInput={(event) => setPause(inputValue(event))}
          />
          <SelectField
            id="sprint-starts"
            label="Start"
            options={STARTS}
            value={starts}
            error={fieldErrors.starts}
            onChange={(event) => setStarts(inputValue(event) as (typeof STARTS)[number])}
          />
          <FormMessage error={error} />
          <div class="button-row chat-dialog-actions">
            <button type="button" class="btn btn-secondary" onClick={() => ref.current?.close()}>
              Cancel
            </button>
            <SubmitButton busy={busy}>Start sprint</SubmitButton>
          </div>
        </form>
      </dialog>
    </>
  );
}
