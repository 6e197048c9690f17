import type { Ref } from 'preact';
import { useEffect, useImperativeHandle, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../protocol/chat.js';
import { errorMessage } from '../../lib/api.js';
import { Spinner } from '../../lib/ui.js';
import { excerptOf } from './store.js';
import './chat-dialog.css';

export interface DeleteDialogHandle {
  /** Asks whether to delete `message` (opened at once, in the click that asked). */
  open(message: Message): void;
}

interface DeleteDialogProps {
  handle: Ref<DeleteDialogHandle>;
  onConfirm: (message: Message) => Promise<void>;
  /** Whether a message is gone already (someone else deleted it): the dialog closes. */
  isGone: (id: number) => boolean;
  onClosed: () => void;
}

/** A real modal `<dialog>`: focus starts on Cancel, Escape closes it, Tab stays inside. */
export function DeleteDialog({ handle, onConfirm, isGone, onClosed }: DeleteDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Message | null>(null);

  useImperativeHandle(
    handle,
    () => ({
      open(message) {
        setShown(message);
        setError(null);
        const dialog = ref.current;
        if (dialog !== null && !dialog.open) dialog.showModal();
      },
    }),
    [],
  );

  // Deleted by someone else meanwhile: nothing left to ask.
  useEffect(() => {
    if (shown !== null && !busy && ref.current?.open && isGone(shown.id)) ref.current.close();
  });

  const confirm = async () => {
    if (shown === null || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(shown);
      ref.current?.close();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      class="chat-dialog"
      aria-labelledby="delete-title"
      aria-describedby="delete-description"
      onClose={onClosed}
    >
      <h2 id="delete-title" class="chat-dialog-title">
        Delete this message?
      </h2>
      <p id="delete-description" class="muted">
        It disappears for everyone. This cannot be undone.
      </p>
      {shown && (
        <blockquote class="quote-block">
          <strong>{shown.sender_name}:</strong> {excerptOf(shown.content)}
        </blockquote>
      )}
      <p class="edit-error" role="alert">
        {error}
      </p>
      <div class="button-row chat-dialog-actions">
        <button type="button" class="btn btn-secondary" autoFocus onClick={() => ref.current?.close()}>
          Cancel
        </button>
        <button type="button" class="btn btn-danger" disabled={busy} onClick={() => void confirm()}>
          {busy && <Spinner />}
          <span>Delete</span>
        </button>
      </div>
    </dialog>
  );
}
