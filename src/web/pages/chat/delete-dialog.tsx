import { useEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../protocol/chat.js';
import { errorMessage } from '../../lib/api.js';
import { Spinner } from '../../lib/ui.js';
import { excerptOf } from './store.js';

interface DeleteDialogProps {
  /** The message to delete; null closes the dialog. */
  message: Message | null;
  onConfirm: (message: Message) => Promise<void>;
  onClose: () => void;
}

/** A real modal `<dialog>`: focus starts on Cancel, Escape closes it, Tab stays inside. */
export function DeleteDialog({ message, onConfirm, onClose }: DeleteDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Message | null>(message);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (message !== null) {
      setShown(message);
      setError(null);
      if (!dialog.open) dialog.showModal();
    } else if (dialog.open) {
      dialog.close();
    }
  }, [message]);

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
      onClose={() => {
        // The close event comes a moment later: if the dialog was opened again meanwhile, it is stale.
        if (!ref.current?.open) onClose();
      }}
    >
      <h2 id="delete-title" class="chat-dialog-title">
        Delete this message?
      </h2>
      <p id="delete-description" class="muted">
        It disappears for everyone. This cannot be undone.
      </p>
      {shown && (
        <blockquote class="chat-dialog-quote">
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
