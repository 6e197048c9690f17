import type { ComponentChildren } from 'preact';
import type { Me } from '../../../protocol/auth.js';
import type { Message } from '../../../protocol/chat.js';
import { nameOf } from '../../lib/format.js';
import { MessageItem, PendingItem, type MessageHandlers } from './message-item.js';
import type { Pending } from './store.js';
import { dayKey, dayLabel, gapMs, isEditable } from './time.js';

/** Consecutive messages of one sender within this long share one name line. */
const GROUP_GAP_MS = 5 * 60_000;

export interface MessageRowsProps {
  messages: readonly Message[];
  pending: readonly Pending[];
  me: Me;
  isAdmin: boolean;
  /** The server's "now", for the edit window. */
  now: number;
  editingId: number | null;
  highlight: number | null;
  /** The first unread message when the chat opened: the "New messages" line goes above it. */
  firstUnreadId: number | null;
  handlers: MessageHandlers;
}

/** The rows of the conversation: day separators, the "New messages" line, messages, then ours being sent. */
export function MessageRows(props: MessageRowsProps) {
  const { messages, pending, me, isAdmin, now, editingId, highlight, handlers } = props;
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
  return <>{rows}</>;
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
