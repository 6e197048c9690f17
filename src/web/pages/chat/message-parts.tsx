import { CornerUpLeft, Flag, Link, Pencil, Reply, SmilePlus, Trash2 } from 'lucide';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Message, Reaction } from '../../../protocol/chat.js';
import { Icon } from '../../lib/icon.js';
import { renderMarkdown } from '../../lib/markdown.js';
import { IconButton } from '../../lib/ui.js';
import './message-parts.css';

export const QUICK_EMOJI = ['👍', '❤️', '😂', '🎉', '👀'] as const;

/**
 * A message's text as safe Markdown (see lib/markdown.ts: raw HTML is escaped, links checked).
 * Code blocks are coloured by highlight.js, imported the first time one is shown; their copy
 * buttons and the mentions (which open a profile card) are handled here.
 */
export function MessageContent({
  content,
  myUsername,
  onOpenProfile,
}: {
  content: string;
  myUsername: string | null;
  onOpenProfile?: (username: string) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const html = renderMarkdown(content, myUsername);
  useEffect(() => {
    const element = ref.current;
    if (element === null || element.querySelector('pre > code') === null) return;
    void import('../../lib/highlight.js').then(({ highlightWithin }) => highlightWithin(element));
  }, [html]);

  const onClick = (event: MouseEvent) => {
    const target = event.target as Element;
    const copy = target.closest<HTMLButtonElement>('.code-copy');
    if (copy !== null) {
      void copyCode(copy);
      return;
    }
    const mention = target.closest<HTMLElement>('[data-username]');
    if (mention?.dataset.username && onOpenProfile) onOpenProfile(mention.dataset.username);
  };
  return <div ref={ref} class="msg-content" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}

async function copyCode(button: HTMLButtonElement): Promise<void> {
  const code = button.parentElement?.querySelector('pre > code')?.textContent ?? '';
  try {
    await navigator.clipboard.writeText(code);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Could not copy';
  }
  setTimeout(() => (button.textContent = 'Copy code'), 2_000);
}

/** The quoted original of a reply: a button that scrolls to it (when `onJump` is given). */
export function ReplyQuote({
  message,
  onJump,
}: {
  message: Pick<Message, 'reply_to_id' | 'reply_to'>;
  onJump?: (id: number) => void;
}) {
  const quote = message.reply_to;
  if (message.reply_to_id === null) return null;
  if (quote === null) {
    return (
      <p class="msg-quote msg-quote-gone">
        <Icon icon={CornerUpLeft} size={14} />
        <span>Reply to a deleted message</span>
      </p>
    );
  }
  const body = (
    <>
      <Icon icon={CornerUpLeft} size={14} />
      <span class="msg-quote-name">{quote.sender_name}</span>
      <span class="msg-quote-text">{quote.excerpt}</span>
    </>
  );
  if (onJump === undefined) return <p class="msg-quote">{body}</p>;
  return (
    <button
      type="button"
      class="msg-quote"
      aria-label={`In reply to ${quote.sender_name}: ${quote.excerpt}. Show the original message.`}
      onClick={() => onJump(quote.id)}
    >
      {body}
    </button>
  );
}

/** Counts per emoji; the viewer's own are pressed, and pressing one toggles it. */
export function ReactionChips({ reactions, onReact }: { reactions: Reaction[]; onReact: (emoji: string) => void }) {
  if (reactions.length === 0) return null;
  return (
    <ul class="reactions" aria-label="Reactions">
      {reactions.map((reaction) => (
        <li key={reaction.emoji}>
          <button
            type="button"
            class={reaction.me ? 'reaction reaction-mine' : 'reaction'}
            aria-pressed={reaction.me}
            aria-label={`${reaction.emoji} ${reaction.count} ${reaction.count === 1 ? 'reaction' : 'reactions'}${
              reaction.me ? ', including yours' : ''
            }`}
            onClick={() => onReact(reaction.emoji)}
          >
            <span class="reaction-emoji" aria-hidden="true">
              {reaction.emoji}
            </span>
            <span class="reaction-count">{reaction.count}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

interface ToolbarProps {
  senderName: string;
  onCopyLink: () => void;
  canEdit: boolean;
  canDelete: boolean;
  onReply: () => void;
  onReact: (emoji: string) => void;
  onEdit: () => void;
  onDelete: () => void;
  /** Given for others' messages: report it to the admins. */
  onReport?: () => void;
}

/** Reply, react, copy a link, edit, delete and report: shown on hover and keyboard focus (always on touch screens). */
export function MessageToolbar(props: ToolbarProps) {
  const { senderName, canEdit, canDelete, onReply, onReact, onEdit, onDelete, onCopyLink, onReport } = props;
  const [picking, setPicking] = useState(false);
  const pickerRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!picking) return;
    pickerRef.current?.querySelector('button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setPicking(false);
      toggleRef.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!pickerRef.current?.contains(target) && !toggleRef.current?.contains(target)) setPicking(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [picking]);

  return (
    <div class={picking ? 'msg-toolbar is-active' : 'msg-toolbar'}>
      <IconButton icon={Reply} size="small" label={`Reply to ${senderName}`} title="Reply" onClick={onReply} />
      <IconButton
        icon={SmilePlus}
        size="small"
        buttonRef={toggleRef}
        label="Add reaction"
        title="Add reaction"
        aria-expanded={picking}
        onClick={() => setPicking(!picking)}
      />
      {picking && (
        <div ref={pickerRef} class="emoji-picker" role="group" aria-label="Quick reactions">
          {QUICK_EMOJI.map((emoji) => (
            <button
              key={emoji}
              type="button"
              class="icon-button icon-button-small emoji-button"
              aria-label={`React with ${emoji}`}
              onClick={() => {
                setPicking(false);
                onReact(emoji);
                toggleRef.current?.focus();
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
      <IconButton icon={Link} size="small" label="Copy link" title="Copy link" onClick={onCopyLink} />
      {canEdit && <IconButton icon={Pencil} size="small" label="Edit message" title="Edit" onClick={onEdit} />}
      {canDelete && (
        <IconButton icon={Trash2} size="small" danger label="Delete message" title="Delete" onClick={onDelete} />
      )}
      {onReport && <IconButton icon={Flag} size="small" label="Report message" title="Report" onClick={onReport} />}
    </div>
  );
}
