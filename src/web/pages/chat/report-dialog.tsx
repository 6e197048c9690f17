import type { Ref } from 'preact';
import { useImperativeHandle, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../protocol/chat.js';
import { REPORT_REASON_MAX_LENGTH } from '../../../protocol/moderation.js';
import { errorMessage } from '../../lib/api.js';
import { inputValue } from '../../lib/forms.js';
import { Spinner } from '../../lib/ui.js';
import { reportMessage } from './chat-api.js';
import { excerptOf } from './store.js';
import './chat-dialog.css';

export interface ReportDialogHandle {
  open(message: Message): void;
}

/** Asks why, then reports someone else's message to the admins. A modal `<dialog>`; Escape closes it. */
export function ReportDialog({ handle, onReported }: { handle: Ref<ReportDialogHandle>; onReported: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [shown, setShown] = useState<Message | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useImperativeHandle(
    handle,
    () => ({
      open(message) {
        setShown(message);
        setReason('');
        setError(null);
        if (ref.current !== null && !ref.current.open) ref.current.showModal();
      },
    }),
    [],
  );

  const send = async (event: Event) => {
    event.preventDefault();
    if (shown === null || busy) return;
    setBusy(true);
    setError(null);
    try {
      await reportMessage(shown.id, reason.trim());
      ref.current?.close();
      onReported();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} class="chat-dialog" aria-labelledby="report-title">
      <form onSubmit={(event) => void send(event)}>
        <h2 id="report-title" class="chat-dialog-title">
          Report this message?
        </h2>
        {shown && (
          <blockquote class="quote-block">
            <strong>{shown.sender_name}:</strong> {excerptOf(shown.content)}
          </blockquote>
        )}
        <label class="field-label" for="report-reason">
          What is wrong with it?
        </label>
        <textarea
          id="report-reason"
          class="input"
          rows={3}
          required
          maxLength={REPORT_REASON_MAX_LENGTH}
          value={reason}
          onInput={(event) => setReason(inputValue(event))}
        />
        <p class="edit-error" role="alert">
          {error}
        </p>
        <div class="button-row chat-dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="btn btn-danger" disabled={busy || reason.trim() === ''}>
            {busy && <Spinner />}
            <span>Report</span>
          </button>
        </div>
      </form>
    </dialog>
  );
}
