import type { Me } from '../../../protocol/auth.js';
import type { Message } from '../../../protocol/chat.js';

/** Dates and times of the chat, in the viewer's own time zone. */

const dayKeyFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** `2026-03-01` in the viewer's zone: messages with the same key share a day separator. */
export function dayKey(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dayKeyFormat.format(date);
}

/** "Today", "Yesterday", or "Sunday 1 March 2026". */
export function dayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const key = dayKeyFormat.format(date);
  if (key === dayKeyFormat.format(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKeyFormat.format(yesterday)) return 'Yesterday';
  return dayFormat.format(date);
}

/** `14:05`. */
export function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : clockFormat.format(date);
}

/** The whole date and time, for a tooltip. */
export function fullDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : fullFormat.format(date);
}

/** Milliseconds between two timestamps (NaN-safe: Infinity). */
export function gapMs(fromIso: string, toIso: string): number {
  const gap = Date.parse(toIso) - Date.parse(fromIso);
  return Number.isNaN(gap) ? Infinity : gap;
}

/**
 * Whether the server lets `me` edit the message now: their own text (not a check-in or a sprint
 * card, which are the server's words) within CHAT_EDIT_WINDOW_MINUTES of sending it.
 */
export function isEditable(message: Message, me: Pick<Me, 'id' | 'limits'>, now: number): boolean {
  return (
    message.sender_id === me.id &&
    message.message_type === 'text' &&
    now - Date.parse(message.timestamp) < me.limits.edit_window_minutes * 60_000
  );
}
