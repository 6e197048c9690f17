import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types. Times are UTC epoch milliseconds (`bigint`) and flags are 0/1 integers on both
 * dialects, so every query means the same on SQLite and PostgreSQL (docs/decisions/0001).
 */
export interface Database {
  users: UsersTable;
  chat_sequence: ChatSequenceTable;
  messages: MessagesTable;
  message_reactions: MessageReactionsTable;
  timers: TimersTable;
  focus_sessions: FocusSessionsTable;
  totals: TotalsTable;
  user_identities: UserIdentitiesTable;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string | null;
  username: string | null;
  display_name: string | null;
  age: number | null;
  bio: string | null;
  avatar_url: string | null;
  timezone: Generated<string>;
  profile_complete: Generated<number>;
  share_focus: Generated<number>;
  role: Generated<UserRole>;
  disabled: Generated<number>;
  token_version: Generated<number>;
  created_at: number;
  updated_at: number;
  last_seen_at: number | null;
  /** 'google' | 'github' for an account imported from the Python version that signed in there with one. */
  legacy_provider: string | null;
}

/** A provider identity linked to an account (migration 0016). */
export interface UserIdentitiesTable {
  id: Generated<number>;
  provider: string;
  /** The provider's stable id of the person (`sub`, GitHub's numeric id): never the email. */
  subject: string;
  user_id: number;
  /** The verified email the provider gave when the identity was linked. */
  email: string | null;
  created_at: number;
}

export type UserIdentityRow = Selectable<UserIdentitiesTable>;

export type UserRole = 'user' | 'admin';
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;

export interface ChatSequenceTable {
  name: string;
  last_id: number;
}

/** All-time figures kept by triggers (migration 0005): `live_messages`, `focus_sessions`. */
export interface TotalsTable {
  name: 'live_messages' | 'focus_sessions';
  item_count: number;
  /** The summed duration of the rows; 0 where it means nothing (messages). */
  total_ms: number;
}

export interface MessagesTable {
  id: number;
  user_id: number;
  content: string;
  reply_to_id: number | null;
  client_id: string | null;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

export interface MessageReactionsTable {
  message_id: number;
  user_id: number;
  emoji: string;
  created_at: number;
}

export type MessageRow = Selectable<MessagesTable>;

export type TimerStateName = 'idle' | 'running' | 'paused';
export type TimerEndReason = 'target' | 'max';

export interface TimersTable {
  user_id: number;
  state: TimerStateName;
  /** Start of the current run while running; null otherwise. */
  run_started_at: number | null;
  /** Time of the finished runs since the last reset. */
  accumulated_ms: number;
  label: string;
  target_ms: number | null;
  /** Why the last run ended by itself, shown by the pages; null when a person ended it. */
  ended_by: TimerEndReason | null;
  version: number;
  updated_at: number;
}

export interface FocusSessionsTable {
  id: Generated<number>;
  user_id: number;
  started_at: number;
  ended_at: number;
  duration_ms: number;
  label: string;
}

export type TimerRow = Selectable<TimersTable>;
export type FocusSessionRow = Selectable<FocusSessionsTable>;
