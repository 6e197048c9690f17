import { Check, Pencil, Trash2, X } from 'lucide';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FocusSession } from '../../../protocol/timer.js';
import { formatClock } from '../../lib/format.js';
import { inputValue, useSubmit } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { formatDuration } from '../../lib/timer-format.js';
import { IconButton, Spinner } from '../../lib/ui.js';
import './session-row.css';

export const LABEL_MAX = 80;

interface SessionRowProps {
  session: FocusSession;
  onRelabel: (id: number, label: string) => Promise<void>;
  onDelete: (id: number) => Promise<void>;
}

/** One recorded run: its times, length and label, renamed in place or deleted after a confirmation. */
export function SessionRow({ session, onRelabel, onDelete }: SessionRowProps) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm'>('view');
  const [draft, setDraft] = useState(session.label);
  const form = useSubmit();
  const input = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const cancelDelete = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  const range = `${formatClock(session.started_at)}–${formatClock(session.ended_at)}`;

  useEffect(() => {
    if (mode === 'edit') input.current?.select();
    if (mode === 'confirm') cancelDelete.current?.focus();
    if (mode === 'view' && returnFocus.current) renameButton.current?.focus();
    returnFocus.current = false;
  }, [mode]);

  const show = (next: 'view' | 'edit' | 'confirm') => {
    form.clearMessages();
    if (next === 'edit') setDraft(session.label);
    returnFocus.current = next === 'view';
    setMode(next);
  };

  const save = form.onSubmit(async () => {
    const label = draft.trim();
    if (label.length > LABEL_MAX) throw new Error(`The label can be at most ${LABEL_MAX} characters.`);
    await onRelabel(session.id, label);
    returnFocus.current = true;
    setMode('view');
  });

  return (
    <li class="session-row">
      <div class="session-main">
        <span class="session-when">
          <span class="session-time">
            <time dateTime={session.started_at}>{formatClock(session.started_at)}</time>–
            <time dateTime={session.ended_at}>{formatClock(session.ended_at)}</time>
          </span>
          <span class="session-duration">{formatDuration(session.duration_ms)}</span>
        </span>
        {mode !== 'edit' && (
          <span class={session.label ? 'session-label' : 'session-label is-empty'}>{session.label || 'No label'}</span>
        )}
        {mode === 'view' && (
          <span class="session-actions">
            <IconButton
              icon={Pencil}
              size="large"
              buttonRef={renameButton}
              label={`Rename the session ${range}`}
              title="Rename"
              onClick={() => show('edit')}
            />
            <IconButton
              icon={Trash2}
              size="large"
              danger
              label={`Delete the session ${range}`}
              title="Delete"
              onClick={() => show('confirm')}
            />
          </span>
        )}
      </div>
      {mode === 'edit' && (
        <form class="session-edit" onSubmit={save}>
          <input
            ref={input}
            class="input"
            value={draft}
            maxLength={LABEL_MAX}
            aria-label={`Label of the session ${range}`}
            placeholder="What did you work on?"
            onInput={(event) => setDraft(inputValue(event))}
            onKeyDown={(event) => {
              if (event.key === 'Escape') show('view');
            }}
          />
          <button type="submit" class="btn btn-primary btn-small" disabled={form.busy} aria-busy={form.busy}>
            {form.busy ? <Spinner /> : <Icon icon={Check} size={16} />}
            <span>Save</span>
          </button>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => show('view')}>
            <Icon icon={X} size={16} />
            <span>Cancel</span>
          </button>
        </form>
      )}
      {mode === 'confirm' && (
        <div class="session-confirm" role="group" aria-label={`Delete the session ${range}?`}>
          <p>Delete this {formatDuration(session.duration_ms)} session? This cannot be undone.</p>
          <div class="button-row">
            <button
              type="button"
              class="btn btn-danger btn-small"
              disabled={form.busy}
              aria-busy={form.busy}
              onClick={() => void form.run(() => onDelete(session.id))}
            >
              {form.busy ? <Spinner /> : <Icon icon={Trash2} size={16} />}
              <span>Delete</span>
            </button>
            <button ref={cancelDelete} type="button" class="btn btn-ghost btn-small" onClick={() => show('view')}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <div class="inline-error session-error" role="alert">
        {form.error}
      </div>
    </li>
  );
}
