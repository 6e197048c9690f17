import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { MessageType } from '../../protocol/chat.js';

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
  focus_days: FocusDaysTable;
  totals: TotalsTable;
  legacy_ids: LegacyIdsTable;
  legacy_message_staging: LegacyMessageStagingTable;
  password_resets: PasswordResetsTable;
  user_identities: UserIdentitiesTable;
  chat_reads: ChatReadsTable;
  message_mentions: MessageMentionsTable;
  audit_log: AuditLogTable;
  first_admin: FirstAdminTable;
  message_reports: MessageReportsTable;
  chat_settings: ChatSettingsTable;
  scheduled_jobs: ScheduledJobsTable;
  sprints: SprintsTable;
  sprint_participants: SprintParticipantsTable;
  tasks: TasksTable;
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
  /** Opted in to the weekly leaderboard (migration 0035). */
  leaderboard: Generated<number>;
  /** Mentions wait, without notifications or sounds, while this person's timer runs. */
  quiet_while_focusing: Generated<number>;
  role: Generated<UserRole>;
  disabled: Generated<number>;
  token_version: Generated<number>;
  created_at: number;
  updated_at: number;
  last_seen_at: number | null;
  /** 'google' | 'github' for an account imported from the Python version that signed in there with one. */
  legacy_provider: string | null;
  /** Until when the person may read but not post, edit or react; null or past when not timed out. */
  timed_out_until: number | null;
  /** When slow mode last let them post. */
  last_post_at: number | null;
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
  message_type: Generated<MessageType>;
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
  /** 1 while the current run was announced in the chat: its end posts the closing check-in. */
  announced: Generated<number>;
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
  /** The time zone the run's days were counted in (`focus_days`), the user's when it was recorded. */
  time_zone: Generated<string>;
}

/** Focus per user and local day (migration 0011), kept with every recorded or deleted run. */
export interface FocusDaysTable {
  user_id: number;
  /** `YYYY-MM-DD` in the time zone the runs were recorded in. */
  day: string;
  focus_ms: number;
  runs: number;
}

export type TimerRow = Selectable<TimersTable>;
export type FocusSessionRow = Selectable<FocusSessionsTable>;

/** Each person's read position in the chat (migration 0022): only moves forward. */
export interface ChatReadsTable {
  user_id: number;
  last_read_id: number;
  updated_at: number;
}

/** Who a message mentions (`@username`, or everyone online for an admin's `@here`), kept at send and edit. */
export interface MessageMentionsTable {
  user_id: number;
  message_id: number;
}

export type AuditActorKind = 'admin' | 'cli';

export interface AuditLogTable {
  id: Generated<number>;
  actor_kind: AuditActorKind;
  /** The admin who acted; null for the users command (and once that account is gone). */
  actor_id: number | null;
  action: string;
  target_user_id: number | null;
  target_message_id: number | null;
  /** What changed, as JSON. */
  details: string;
  address: string | null;
  created_at: number;
}

export interface FirstAdminTable {
  slot: number;
  user_id: number;
  created_at: number;
}

export type ReportResolution = 'dismiss' | 'delete';

export interface MessageReportsTable {
  id: Generated<number>;
  message_id: number;
  reporter_id: number;
  reason: string;
  created_at: number;
  resolved_at: number | null;
  resolved_by: number | null;
  resolution: ReportResolution | null;
}

export interface ChatSettingsTable {
  slot: number;
  slow_mode_seconds: number;
  updated_at: number;
}

/** Which document of the Python version became which row (migration 0013). */
export interface LegacyIdsTable {
  kind: 'user' | 'message';
  legacy_id: string;
  new_id: number;
}

/** One import's messages while it runs, numbered in time order by the database. */
export interface LegacyMessageStagingTable {
  legacy_id: string;
  sender_email: string;
  content: string;
  created_at: number;
  deleted: number;
  reply_to_legacy_id: string | null;
  user_id: number | null;
  new_id: number | null;
}

/** A password-recovery token: only its SHA-256 is stored; `used_at` makes it single-use. */
export interface PasswordResetsTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Work the server does by itself at `due_at` (migration 0030); `lease_until` while an instance does it. */
export interface ScheduledJobsTable {
  kind: string;
  subject_id: number;
  due_at: number;
  lease_until: number | null;
}

export type SprintStateName = 'scheduled' | 'running' | 'break' | 'ended' | 'cancelled';

/** A group sprint (migration 0031): focus from `starts_at` for `focus_ms`, then a break. */
export interface SprintsTable {
  id: Generated<number>;
  creator_id: number;
  label: string;
  focus_ms: number;
  break_ms: number;
  starts_at: number;
  state: SprintStateName;
  /** Its card in the chat. */
  message_id: number | null;
  /** The participants' focus inside the sprint, summed when it ends. */
  total_focus_ms: Generated<number>;
  created_at: number;
}

export interface SprintParticipantsTable {
  sprint_id: number;
  user_id: number;
  joined_at: number;
  /** Set when they left a sprint that had started (their run counts); leaving before the start removes the row. */
  left_at: number | null;
}

export type SprintRow = Selectable<SprintsTable>;
/** One of a person's goals for today (migration 0035); open while `done_at` is null. */
export interface TasksTable {
  id: Generated<number>;
  user_id: number;
  title: string;
  /** Order in the person's list, lowest first. */
  position: number;
  done_at: number | null;
  created_at: number;
}

export type TaskRow = Selectable<TasksTable>;
