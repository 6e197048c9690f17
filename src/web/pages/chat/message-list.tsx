import { ArrowDown, History } from 'lucide';
import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../../lib/icon.js';
import { Spinner } from '../../lib/ui.js';
import { MessageRows, type MessageRowsProps } from './message-rows.js';
import { useScrollKeeper } from './use-scroll-keeper.js';
import { useUnseen } from './use-unseen.js';
import './message-list.css';

export interface ListScroll {
  /** Jump to the newest message (after sending one). */
  toBottom(): void;
  /** Scroll to message `id` and highlight it; false when it is not on the page. */
  reveal(id: number): boolean;
}

interface MessageListProps extends Omit<MessageRowsProps, 'highlight'> {
  hasOlder: boolean;
  olderLoading: boolean;
  olderError: string | null;
  onLoadOlder: () => void;
  scrollRef: { current: ListScroll | null };
  /** The reader reached the bottom, or left it. */
  onBottomChange: (atBottom: boolean) => void;
}

/** The conversation: its rows, kept in place while it changes, and the "N new messages" button. */
export function MessageList(props: MessageListProps) {
  const { messages, pending } = props;
  const unseen = useUnseen(messages, props.me.id);
  const keeper = useScrollKeeper({
    onBottomChange: props.onBottomChange,
    onCommitted: unseen.committed,
    onReachedBottom: unseen.clear,
  });
  const [highlight, setHighlight] = useState<number | null>(null);

  useEffect(() => {
    if (highlight === null) return;
    const timer = setTimeout(() => setHighlight(null), 2_500);
    return () => clearTimeout(timer);
  }, [highlight]);

  props.scrollRef.current = {
    toBottom: () => keeper.toBottom(false),
    reveal(id) {
      const row = document.getElementById(`message-${id}`);
      if (row === null) return false;
      keeper.scrollToRow(row);
      row.focus({ preventScroll: true });
      setHighlight(id);
      return true;
    },
  };

  return (
    <div class="message-area">
      <div ref={keeper.scroller} class="message-scroller" onScroll={keeper.onScroll}>
        <HistoryEdge {...props} />
        <div
          ref={keeper.log}
          class="message-log"
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-label="Messages"
        >
          <MessageRows {...props} highlight={highlight} />
        </div>
        {messages.length === 0 && pending.length === 0 && (
          <p class="chat-empty">No messages yet. Say hello to everyone!</p>
        )}
      </div>
      {unseen.unseen > 0 && (
        <button type="button" class="new-messages btn btn-primary btn-small" onClick={() => keeper.toBottom(true)}>
          <span>{unseen.unseen === 1 ? '1 new message' : `${unseen.unseen} new messages`}</span>
          <Icon icon={ArrowDown} size={16} />
        </button>
      )}
    </div>
  );
}

type HistoryEdgeProps = Pick<MessageListProps, 'messages' | 'hasOlder' | 'olderLoading' | 'olderError' | 'onLoadOlder'>;

/** The top of the list: "Load older messages", or the beginning of the conversation. */
function HistoryEdge({ messages, hasOlder, olderLoading, olderError, onLoadOlder }: HistoryEdgeProps) {
  return (
    <div class="history-edge">
      {hasOlder ? (
        <button
          type="button"
          class="btn btn-secondary btn-small"
          disabled={olderLoading}
          aria-busy={olderLoading}
          onClick={onLoadOlder}
        >
          {olderLoading ? <Spinner /> : <Icon icon={History} size={16} />}
          <span>Load older messages</span>
        </button>
      ) : (
        <p class="history-start">{messages.length > 0 ? 'The beginning of the conversation' : ''}</p>
      )}
      {olderError && (
        <p class="inline-error" role="alert">
          {olderError}
        </p>
      )}
    </div>
  );
}
