import type { Role } from './auth.js';
import type { Message, OnlineUser, TypingUser } from './chat.js';
import type { ErrorBody } from './errors.js';
import type { ServerLimits } from './limits.js';
import type { UnreadState } from './chat-read.js';
import type { PostingState } from './moderation.js';
import type { ReactionsUpdate } from './reactions.js';
import type { Sprint } from './sprints.js';
import type { TimerState } from './timer.js';

/**
 * Every server → client WebSocket event, by type: the one list the server, the pages and the
 * test client share (docs/websocket.md says who receives each). A frame carries one event, or an
 * array of events to apply in order (`decodeFrame`).
 */
export interface ServerEvents {
  hello: {
    user: { id: number; username: string | null; display_name: string; role: Role };
    /** The first ONLINE_SHOWN people online (`protocol/presence.ts`), and how many are online in all. */
    online: OnlineUser[];
    online_count: number;
    last_message_id: number;
    server_time: string;
    /** Slow mode and timeout as they hold for this person now. */
    posting: PostingState;
    /** The server's configured limits (`protocol/limits.ts` has the fixed ones). */
    limits: ServerLimits;
  };
  'message.created': { message: Message };
  'message.updated': { message: Message };
  'message.deleted': { id: number };
  'reactions.updated': { id: number } & ReactionsUpdate;
  /**
   * To every socket: what changed since the previous update (see `protocol/presence.ts`), to apply
   * to the list of its `hello`.
   */
  'presence.changed': { set: OnlineUser[]; removed: number[]; online_count: number };
  typing: { users: TypingUser[] };
  /** To the person's own sockets: their timer changed (from any tab, device or the server itself). */
  'timer.updated': { timer: TimerState };
  /**
   * To the person's own sockets: their goals changed (in any tab or device): read `GET /api/tasks`
   * again, unless `change` is the `x-change-id` you sent with that change (`protocol/tasks.ts`).
   */
  'tasks.updated': { change: string | null };
  /**
   * To everyone: someone on the weekly leaderboard recorded focus, or joined or left it: read
   * `GET /api/leaderboard` again (pages do so at most every `LEADERBOARD_REFRESH_MS`).
   */
  'leaderboard.changed': Record<never, never>;
  /** To everyone: a group sprint was created, changed state, or someone joined or left it. */
  'sprint.updated': { sprint: Sprint };
  /** To the person's own sockets: an admin changed their role. */
  'role.changed': { role: Role };
  /** To the sending socket: its `message.send` (by `ref`) is stored. */
  ack: { ref: string; message: Message };
  /** To one socket: a frame it sent (`ref`) was refused; `code` and `until` as in an HTTP error answer. */
  error: { ref?: string; detail: string } & Pick<ErrorBody, 'code' | 'until'>;
  /** To everyone: an admin changed slow mode (0 = off). */
  'chat.settings': { slow_mode_seconds: number };
  /** To the person's own sockets: an admin timed them out (until then) or lifted it (null). */
  'timeout.changed': { timed_out_until: string | null };
  /** To admins' sockets: how many messages have open reports now. */
  'reports.changed': { open_count: number };
  pong: Record<never, never>;
  /** To the person's own sockets: their read position moved (from any tab or device), with their counts. */
  'read.updated': UnreadState;
  /**
   * Events may have been lost (the instances' bus was away): fetch messages `after` this id again
   * (merging by id), and reload what else the page shows (timer, presence come by themselves).
   */
  resync: { after: number };
}

export type ServerEventType = keyof ServerEvents;
export type EventOf<T extends ServerEventType> = { type: T } & ServerEvents[T];
export type ServerEvent = { [T in ServerEventType]: EventOf<T> }[ServerEventType];

/**
 * What a client's listeners are told: the server's events, and `presence`, the whole online list as
 * the client holds it (its `hello`'s, then each `presence.changed` applied to it).
 */
export interface LiveEvents extends ServerEvents {
  presence: { online: OnlineUser[]; online_count: number };
}
export type LiveEventType = keyof LiveEvents;
export type LiveEventOf<T extends LiveEventType> = { type: T } & LiveEvents[T];
export type AnyLiveEvent = { [T in LiveEventType]: LiveEventOf<T> }[LiveEventType];

/**
 * The events of one frame, in order: a frame is one event object or an array of them. Anything
 * else (not JSON, no `type`) is skipped.
 */
export function decodeFrame(data: string): ServerEvent[] {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return [];
  }
  const items: unknown[] = Array.isArray(value) ? value : [value];
  return items.filter((item): item is ServerEvent => typeof (item as { type?: unknown } | null)?.type === 'string');
}
