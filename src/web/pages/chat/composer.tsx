import { MESSAGE_MAX_LENGTH } from '../../../protocol/limits.js';
import { CornerUpLeft, SendHorizontal, X } from 'lucide';
import { useEffect, useImperativeHandle, useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import type { Message } from '../../../protocol/chat.js';
import { TYPING_EVERY_MS } from '../../../protocol/chat-limits.js';
import { inputValue } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { IconButton } from '../../lib/ui.js';
import { fitHeight } from './message-item.js';
import { MentionOptions, useMentionSuggest, type MentionPerson } from './mention-suggest.js';
import { excerptOf } from './store.js';
import { mentionedNames } from '../../../protocol/mentions.js';
import './composer.css';

/** The counter shows from this many characters on. */
const COUNTER_FROM = 1800;
const DRAFT_KEY = 'codechicks.chat.draft';

export interface ComposerHandle {
  focus(): void;
}

interface ComposerProps {
  replyTo: Message | null;
  onCancelReply: () => void;
  onSend: (content: string) => void;
  onTyping: () => void;
  /** Arrow Up in an empty box edits your last message; false when there is none to edit. */
  onEditLast: () => boolean;
  handle: Ref<ComposerHandle>;
  /** Who `@` offers (online people first). */
  people: readonly MentionPerson[];
  /** The server holds our messages now (timeout, slow mode): the box stays, sending waits. */
  held?: boolean;
}

function readDraft(): string {
  try {
    return sessionStorage.getItem(DRAFT_KEY) ?? '';
  } catch {
    return '';
  }
}

function saveDraft(value: string): void {
  try {
    if (value === '') sessionStorage.removeItem(DRAFT_KEY);
    else sessionStorage.setItem(DRAFT_KEY, value);
  } catch {
    // Storage may be off; the draft just does not survive a reload.
  }
}

/** The message box: Enter sends, Shift+Enter starts a new line; a counter near the limit. */
export function Composer({
  replyTo,
  onCancelReply,
  onSend,
  onTyping,
  onEditLast,
  handle,
  people,
  held,
}: ComposerProps) {
  const [value, setValue] = useState(readDraft);
  const [caret, setCaret] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);
  const suggest = useMentionSuggest(people, value, caret, (next, at) => {
    setValue(next);
    saveDraft(next);
    setCaret(at);
    requestAnimationFrame(() => textarea.current?.setSelectionRange(at, at));
  });
  const trackCaret = (event: Event) => setCaret((event.currentTarget as HTMLTextAreaElement).selectionStart);

  useImperativeHandle(handle, () => ({ focus: () => textarea.current?.focus() }), []);

  useEffect(() => {
    if (textarea.current) fitHeight(textarea.current);
  }, [value]);

  useEffect(() => {
    if (replyTo) textarea.current?.focus();
  }, [replyTo]);

  const content = value.trim();
  const waiting = quietMentioned(people, content);
  const length = content.length;
  const tooLong = length > MESSAGE_MAX_LENGTH;
  const canSend = length > 0 && !tooLong && held !== true;

  const send = () => {
    if (!canSend) return;
    onSend(content);
    setValue('');
    saveDraft('');
    lastTyping.current = 0;
    textarea.current?.focus();
  };

  const onInput = (event: Event) => {
    const next = inputValue(event);
    setValue(next);
    saveDraft(next);
    trackCaret(event);
    const now = Date.now();
    if (next.trim() !== '' && now - lastTyping.current >= TYPING_EVERY_MS) {
      lastTyping.current = now;
      onTyping();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (suggest.onKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === 'Escape' && replyTo) {
      event.preventDefault();
      onCancelReply();
    } else if (event.key === 'ArrowUp' && value === '' && onEditLast()) {
      event.preventDefault();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {replyTo && (
        <div class="reply-bar">
          <Icon icon={CornerUpLeft} size={16} />
          <p class="reply-bar-text">
            Replying to <strong>{replyTo.sender_name}</strong>
            <span class="reply-bar-excerpt">{excerptOf(replyTo.content)}</span>
          </p>
          <IconButton icon={X} size="small" label="Cancel reply" title="Cancel reply" onClick={onCancelReply} />
        </div>
      )}
      <MentionOptions suggest={suggest} />
      <div class="composer-row">
        <label for="chat-input" class="visually-hidden">
          Message
        </label>
        <textarea
          id="chat-input"
          ref={textarea}
          class="input composer-input"
          rows={1}
          value={value}
          placeholder={replyTo ? `Reply to ${replyTo.sender_name}…` : 'Write a message…'}
          aria-describedby="composer-hint composer-counter"
          aria-invalid={tooLong ? true : undefined}
          aria-autocomplete="list"
          {...suggest.inputProps}
          onInput={onInput}
          onKeyDown={onKeyDown}
          onKeyUp={trackCaret}
          onClick={trackCaret}
        />
        <button type="submit" class="btn btn-primary send-button" aria-label="Send message" disabled={!canSend}>
          <Icon icon={SendHorizontal} size={18} />
        </button>
      </div>
      {waiting !== '' && (
        <p class="composer-quiet" role="status">
          {waiting}
        </p>
      )}
      <div class="composer-foot">
        <p id="composer-hint" class="composer-hint">
          Enter to send · Shift+Enter for a new line · @ to mention · **bold**, `code`, ```blocks```
        </p>
        <p id="composer-counter" class={tooLong ? 'composer-counter is-over' : 'composer-counter'}>
          {length >= COUNTER_FROM
            ? `${length} / ${MESSAGE_MAX_LENGTH}${tooLong ? ` — ${length - MESSAGE_MAX_LENGTH} too many` : ''}`
            : ''}
        </p>
      </div>
    </form>
  );
}

/** "Ana is focusing — your message will wait in their mentions", for the quiet people a draft mentions. */
export function quietMentioned(people: readonly MentionPerson[], content: string): string {
  const names = new Set(mentionedNames(content));
  const quiet = people.filter((p) => p.quiet && names.has(p.username.toLowerCase())).map((p) => p.display_name);
  if (quiet.length === 0) return '';
  const who = quiet.length === 1 ? `${quiet[0]} is` : `${quiet.slice(0, -1).join(', ')} and ${quiet.at(-1)} are`;
  return `${who} focusing — your message will wait in their mentions`;
}
