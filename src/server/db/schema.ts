import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types. Times are UTC epoch milliseconds (`bigint`) and flags are 0/1 integers on both
 * dialects, so every query means the same on SQLite and PostgreSQL (docs/decisions/0001).
 */
export interface Database {
  users: UsersTable;
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
}

export type UserRole = 'user' | 'admin';
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
