import { MESSAGE_MAX_LENGTH } from '../../../protocol/limits.js';
import { RefreshCw, X } from 'lucide';
import { memo } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../protocol/chat.js';
import { errorMessage } from '../../lib/api.js';
import { initialsOf } from '../../lib/format.js';
import { inputValue } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { mentionsUsername } from '../../../protocol/mentions.js';
import { Spinner } from '../../lib/ui.js';
import { MessageContent, MessageToolbar, ReactionChips, ReplyQuote } from './message-parts.js';
import { SprintCard } from './sprint-card.js';
import type { Pending } from './store.js';
import { clock, fullDate } from './time.js';
import './chat-dialog.css';
import './message-item.css';

/** What a message row can ask the page to do; stable functions, so rows re-render only when they change. */
export interface MessageHandlers {
  reply: (message: Message) => void;
  react: (id: number, emoji: string) => void;
  startEdit: (id: number) => void;
  endEdit: () => void;
  saveEdit: (id: number, content: string) => Promise<void>;
  remove: (message: Message) => void;
  report: (message: Message) => void;
  jump: (id: number) => void;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  copyLink: (id: number) => void;
  /** Shows the profile card of `username`. */
  openProfile: (username: string) => void;
}

interface MessageItemProps {
  message: Message;
  /** Same sender as the row above, shortly after: no name line. */
  compact: boolean;
  mine: boolean;
  canEdit: boolean;
  canDelete: boolean;
  editing: boolean;
  highlighted: boolean;
  myUsername: string | null;
  handlers: MessageHandlers;
}

export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { message, compact, mine, canEdit, canDelete, editing, highlighted, myUsername, handlers } = props;
  const classes = ['msg'];
  if (compact) classes.push('msg-compact');
  if (mine) classes.push('msg-mine');
  if (!mine && mentionsUsername(message.content, myUsername)) classes.push('msg-mentions-me');
  if (highlighted) classes.push('msg-highlight');
  // A check-in is the server's post for its sender: shown as a focus note, not as their words.
  if (message.message_type === 'checkin') classes.push('msg-checkin');
  return (
    <div
      id={`message-${message.id}`}
      class={classes.join(' ')}
      data-row={`m${message.id}`}
      data-message-id={message.id}
      tabIndex={-1}
    >
      <MessageHeader
        name={message.sender_name}
        timestamp={message.timestamp}
        compact={compact}
        mine={mine}
        onOpenProfile={message.sender_username ? () => handlers.openProfile(message.sender_username ?? '') : undefined}
      />
      <div class="msg-body">
        <ReplyQuote message={message} onJump={handlers.jump} />
        {editing ? (
          <EditBox
            initial={message.content}
            onSave={(content) => handlers.saveEdit(message.id, content)}
            onClose={handlers.endEdit}
          />
        ) : (
          <>
            {message.message_type === 'checkin' && <span class="msg-kind">Check-in</span>}
            {message.message_type === 'sprint' ? (
              <SprintCard messageId={message.id} myUsername={myUsername} />
            ) : (
              <MessageContent content={message.content} myUsername={myUsername} onOpenProfile={handlers.openProfile} />
            )}
            {message.edited_at !== null && (
              <span class="msg-edited" title={`Edited ${fullDate(message.edited_at)}`}>
                (edited)
              </span>
            )}
          </>
        )}
        <ReactionChips reactions={message.reactions} onReact={(emoji) => handlers.react(message.id, emoji)} />
      </div>
      {!editing && (
        <MessageToolbar
          senderName={message.sender_name}
          canEdit={canEdit}
          canDelete={canDelete}
          onReply={() => handlers.reply(message)}
          onReact={(emoji) => handlers.react(message.id, emoji)}
          onEdit={() => handlers.startEdit(message.id)}
          onDelete={() => handlers.remove(message)}
          onCopyLink={() => handlers.copyLink(message.id)}
          onReport={mine ? undefined : () => handlers.report(message)}
        />
      )}
    </div>
  );
});

function MessageHeader({
  name,
  timestamp,
  compact,
  mine,
  onOpenProfile,
}: {
  name: string;
  timestamp: string;
  compact: boolean;
  mine: boolean;
  /** Clicking the name or the avatar shows the sender's profile card. */
  onOpenProfile?: () => void;
}) {
  const time = (
    <time class="msg-time" dateTime={timestamp} title={fullDate(timestamp)}>
      {clock(timestamp)}
    </time>
  );
  if (compact) {
    return (
      <p class="msg-head msg-head-compact">
        <span class="visually-hidden">{name}, </span>
        {time}
      </p>
    );
  }
  return (
    <>
      <span class="msg-avatar" aria-hidden="true" onClick={onOpenProfile}>
        {initialsOf(name)}
      </span>
      <p class="msg-head">
        {onOpenProfile ? (
          <button type="button" class="msg-author msg-author-button" onClick={onOpenProfile}>
            {name}
          </button>
        ) : (
          <span class="msg-author">{name}</span>
        )}
        {mine && <span class="msg-you">you</span>}
        {time}
      </p>
    </>
  );
}

interface PendingItemProps {
  pending: Pending;
  name: string;
  myUsername: string | null;
  handlers: MessageHandlers;
}

/** One of our messages not stored yet: "Sending…", or why it failed with Retry and Discard. */
export function PendingItem({ pending, name, myUsername, handlers }: PendingItemProps) {
  return (
    <div
      class={`msg msg-mine msg-pending msg-${pending.state}`}
      data-row={`p${pending.clientId}`}
      data-client-id={pending.clientId}
      data-state={pending.state}
    >
      <MessageHeader name={name} timestamp={pending.createdAt} compact={false} mine />
      <div class="msg-body">
        <ReplyQuote message={{ reply_to_id: pending.replyToId, reply_to: pending.replyTo }} />
        <MessageContent content={pending.content} myUsername={myUsername} />
        {pending.state === 'failed' ? (
          <div class="msg-failed" role="alert">
            <span>Not sent{pending.error ? `: ${pending.error}` : '.'}</span>
            <button type="button" class="btn btn-secondary btn-small" onClick={() => handlers.retry(pending.clientId)}>
              <Icon icon={RefreshCw} size={14} />
              <span>Retry</span>
            </button>
            <button
              type="button"
              class="btn btn-ghost btn-small"
              aria-label="Discard this message"
              onClick={() => handlers.discard(pending.clientId)}
            >
              <Icon icon={X} size={14} />
              <span>Discard</span>
            </button>
          </div>
        ) : (
          <p class="msg-sending">
            <Spinner />
            <span>{pending.state === 'queued' ? 'Waiting for the connection…' : 'Sending…'}</span>
          </p>
        )}
      </div>
    </div>
  );
}

/** Inline editing: Enter saves, Shift+Enter starts a new line, Escape cancels. */
function EditBox({
  initial,
  onSave,
  onClose,
}: {
  initial: string;
  onSave: (content: string) => Promise<void>;
  onClose: () => void;
}) {
  const [value, setValue] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const textarea = ref.current;
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    fitHeight(textarea);
  }, []);

  const save = async () => {
    const content = value.trim();
    if (busy) return;
    if (content === '' || content.length > MESSAGE_MAX_LENGTH) {
      setError(`A message is 1–${MESSAGE_MAX_LENGTH} characters.`);
      return;
    }
    if (content === initial.trim()) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(content);
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void save();
    }
  };

  return (
    <div class="edit-box">
      <label class="visually-hidden" for="edit-message">
        Edit message
      </label>
      <textarea
        id="edit-message"
        ref={ref}
        class="input composer-input"
        rows={1}
        value={value}
        aria-describedby="edit-hint"
        aria-invalid={error ? true : undefined}
        onInput={(event) => {
          setValue(inputValue(event));
          fitHeight(event.currentTarget);
        }}
        onKeyDown={onKeyDown}
      />
      <div class="edit-actions">
        <p id="edit-hint" class="edit-hint">
          Enter to save · Shift+Enter for a new line · Esc to cancel
        </p>
        <button type="button" class="btn btn-ghost btn-small" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="btn btn-primary btn-small" disabled={busy} onClick={() => void save()}>
          {busy && <Spinner />}
          <span>Save</span>
        </button>
      </div>
      <p class="edit-error" role="alert">
        {error}
      </p>
    </div>
  );
}

/** Grows a textarea with its text, up to the CSS max-height. */
export function fitHeight(textarea: HTMLTextAreaElement): void {
  textarea.style.height = 'auto';
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}
