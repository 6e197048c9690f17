import { ArrowDown, History } from 'lucide';
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Me } from '../../../protocol/auth.js';
import type { Message } from '../../../protocol/chat.js';
import { nameOf } from '../../lib/format.js';
import { Icon } from '../../lib/icon.js';
import { Spinner } from '../../lib/ui.js';
import { MessageItem, PendingItem, type MessageHandlers } from './message-item.js';
import type { Pending } from './store.js';
import { dayKey, dayLabel, gapMs, isEditable } from './time.js';
import './message-list.css';

/** Within this of the bottom counts as "at the bottom" (new messages scroll into view). */
const BOTTOM_SLACK_PX = 48;
/** Consecutive messages of one sender within this long share one name line. */
const GROUP_GAP_MS = 5 * 60_000;

export interface ListScroll {
  /** Jump to the newest message (after sending one). */
  toBottom(): void;
  /** Scroll to message `id` and highlight it; false when it is not on the page. */
  reveal(id: number): boolean;
}

interface MessageListProps {
  messages: readonly Message[];
  pending: readonly Pending[];
  me: Me;
  isAdmin: boolean;
  /** The server's "now", for the edit window. */
  now: number;
  editingId: number | null;
  hasOlder: boolean;
  olderLoading: boolean;
  olderError: string | null;
  onLoadOlder: () => void;
  handlers: MessageHandlers;
  scrollRef: { current: ListScroll | null };
  /** The first unread message when the chat opened: the "New messages" line goes above it. */
  firstUnreadId: number | null;
  /** The reader reached the bottom, or left it. */
  onBottomChange: (atBottom: boolean) => void;
}

interface Anchor {
  key: string;
  offset: number;
}

/** Where the reader is, read from the DOM before an update changes it. */
interface Snapshot {
  anchor: Anchor | null;
}

function isAtBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_SLACK_PX;
}

/** The first row in view and how far from the top: it stays put when rows are added above it. */
function findAnchor(scroller: HTMLElement): Anchor | null {
  const rows = scroller.querySelectorAll<HTMLElement>('[data-row]');
  for (const row of rows) {
    if (row.offsetTop + row.offsetHeight > scroller.scrollTop) {
      return { key: row.dataset.row ?? '', offset: row.offsetTop - scroller.scrollTop };
    }
  }
  return null;
}

export function MessageList(props: MessageListProps) {
  const { messages, pending, me, isAdmin, now, editingId, handlers } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const snapshot = useRef<Snapshot | null>(null);
  const forceBottom = useRef(true);
  /** The reader is at the bottom (as of the last scroll): new content keeps them there. */
  const stuck = useRef(true);
  const log = useRef<HTMLDivElement>(null);
  const lastId = useRef<number | null>(null);
  const [unseen, setUnseen] = useState(0);
  const [highlight, setHighlight] = useState<number | null>(null);
  /** The first layout opens at the "New messages" line, when there is one, instead of the bottom. */
  const opened = useRef(false);
  const { onBottomChange } = props;

  // Read before this render changes the DOM (rendering does not touch it; committing does).
  if (scroller.current) {
    snapshot.current = { anchor: stuck.current ? null : findAnchor(scroller.current) };
  }

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const snap = snapshot.current;
    const newest = messages[messages.length - 1]?.id ?? null;
    const previous = lastId.current;
    lastId.current = newest;
    if (!opened.current) {
      opened.current = true;
      const divider = element.querySelector<HTMLElement>('.unread-divider');
      if (divider !== null) {
        element.scrollTop += divider.getBoundingClientRect().top - element.getBoundingClientRect().top - 8;
        stuck.current = isAtBottom(element);
        forceBottom.current = false;
        onBottomChange(stuck.current);
        if (!stuck.current) return;
      }
    }
    if (forceBottom.current || snap === null || stuck.current) {
      forceBottom.current = false;
      stuck.current = true;
      const bottom = element.scrollHeight - element.clientHeight;
      if (element.scrollTop < bottom - 1) element.scrollTop = bottom;
      onBottomChange(true);
      return;
    }
    if (snap.anchor) {
      const row = element.querySelector<HTMLElement>(`[data-row="${CSS.escape(snap.anchor.key)}"]`);
      if (row) {
        const top = row.offsetTop - snap.anchor.offset;
        if (Math.abs(element.scrollTop - top) > 1) element.scrollTop = top;
      }
    }
    if (previous !== null && newest !== null && newest > previous) {
      const fresh = messages.filter((m) => m.id > previous && m.sender_id !== me.id).length;
      if (fresh > 0) setUnseen((count) => count + fresh);
    }
  });

  const onScroll = useCallback(() => {
    if (scroller.current === null) return;
    stuck.current = isAtBottom(scroller.current);
    onBottomChange(stuck.current);
    if (stuck.current) setUnseen(0);
  }, [onBottomChange]);

  // Rows that change height later (fonts, an edit, a code block) keep a reader at the bottom there.
  useEffect(() => {
    const element = scroller.current;
    if (element === null || log.current === null) return;
    const observer = new ResizeObserver(() => {
      if (stuck.current) element.scrollTop = element.scrollHeight - element.clientHeight;
    });
    observer.observe(log.current);
    return () => observer.disconnect();
  }, []);

  const toBottom = useCallback(
    (smooth = false) => {
      const element = scroller.current;
      if (element === null) return;
      forceBottom.current = true;
      stuck.current = true;
      const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
      element.scrollTo({ top: element.scrollHeight, behavior: smooth && !reduce ? 'smooth' : 'auto' });
      setUnseen(0);
      onBottomChange(true);
    },
    [onBottomChange],
  );

  useEffect(() => {
    if (highlight === null) return;
    const timer = setTimeout(() => setHighlight(null), 2_500);
    return () => clearTimeout(timer);
  }, [highlight]);

  props.scrollRef.current = {
    toBottom: () => toBottom(false),
    reveal(id) {
      const row = document.getElementById(`message-${id}`);
      if (row === null) return false;
      row.scrollIntoView({ block: 'center' });
      // Before the scroll event comes: the next render must not take the reader back down.
      if (scroller.current) stuck.current = isAtBottom(scroller.current);
      onBottomChange(stuck.current);
      row.focus({ preventScroll: true });
      setHighlight(id);
      return true;
    },
  };

  const rows: ComponentChildren[] = [];
  let previous: Message | undefined;
  let day = '';
  const nowDate = new Date(now);
  for (const message of messages) {
    const key = dayKey(message.timestamp);
    if (key !== day) {
      day = key;
      rows.push(<DaySeparator key={`d${key}`} label={dayLabel(message.timestamp, nowDate)} />);
      previous = undefined;
    }
    const mine = message.sender_id === me.id;
    if (message.id === props.firstUnreadId) {
      rows.push(<UnreadDivider key="unread" />);
      previous = undefined;
    }
    const compact =
      previous !== undefined &&
      previous.sender_id === message.sender_id &&
      message.reply_to_id === null &&
      gapMs(previous.timestamp, message.timestamp) < GROUP_GAP_MS;
    rows.push(
      <MessageItem
        key={`m${message.id}`}
        message={message}
        compact={compact}
        mine={mine}
        canEdit={isEditable(message, me, now)}
        canDelete={mine || isAdmin}
        editing={editingId === message.id}
        highlighted={highlight === message.id}
        myUsername={me.username}
        handlers={handlers}
      />,
    );
    previous = message;
  }
  for (const item of pending) {
    const key = dayKey(item.createdAt);
    if (key !== day) {
      day = key;
      rows.push(<DaySeparator key={`d${key}`} label={dayLabel(item.createdAt, nowDate)} />);
    }
    rows.push(
      <PendingItem
        key={`p${item.clientId}`}
        pending={item}
        name={nameOf(me)}
        myUsername={me.username}
        handlers={handlers}
      />,
    );
  }

  return (
    <div class="message-area">
      <div ref={scroller} class="message-scroller" onScroll={onScroll}>
        <div class="history-edge">
          {props.hasOlder ? (
            <button
              type="button"
              class="btn btn-secondary btn-small"
              disabled={props.olderLoading}
              aria-busy={props.olderLoading}
              onClick={props.onLoadOlder}
            >
              {props.olderLoading ? <Spinner /> : <Icon icon={History} size={16} />}
              <span>Load older messages</span>
            </button>
          ) : (
            <p class="history-start">{messages.length > 0 ? 'The beginning of the conversation' : ''}</p>
          )}
          {props.olderError && (
            <p class="inline-error" role="alert">
              {props.olderError}
            </p>
          )}
        </div>
        <div
          ref={log}
          class="message-log"
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-label="Messages"
        >
          {rows}
        </div>
        {messages.length === 0 && pending.length === 0 && (
          <p class="chat-empty">No messages yet. Say hello to everyone!</p>
        )}
      </div>
      {unseen > 0 && (
        <button type="button" class="new-messages btn btn-primary btn-small" onClick={() => toBottom(true)}>
          <span>{unseen === 1 ? '1 new message' : `${unseen} new messages`}</span>
          <Icon icon={ArrowDown} size={16} />
        </button>
      )}
    </div>
  );
}

function UnreadDivider() {
  return (
    <div class="unread-divider" role="separator" aria-label="New messages">
      <span aria-hidden="true">New messages</span>
    </div>
  );
}

function DaySeparator({ label }: { label: string }) {
  return (
    <div class="day-separator" role="separator" aria-label={label}>
      <span aria-hidden="true">{label}</span>
    </div>
  );
}
