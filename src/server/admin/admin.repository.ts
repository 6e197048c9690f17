import { sql, type Kysely } from 'kysely';
import { lockedOnPostgres } from '../db/dialect.js';
import type { Database, UserRow } from '../db/schema.js';

type Db = Kysely<Database>;

export type AdminUserRow = Pick<
  UserRow,
  | 'id'
  | 'email'
  | 'username'
  | 'display_name'
  | 'role'
  | 'disabled'
  | 'profile_complete'
  | 'created_at'
  | 'last_seen_at'
  | 'timed_out_until'
>;

/** What the account list is narrowed to, besides the search. */
export interface UserFilter {
  search?: string;
  role?: UserRow['role'];
  state?: 'disabled' | 'timed_out';
  /** For `timed_out`: timeouts ending after this instant. */
  now: number;
}

const COLUMNS = [
  'id',
  'email',
  'username',
  'display_name',
  'role',
  'disabled',
  'profile_complete',
  'created_at',
  'last_seen_at',
  'timed_out_until',
] as const;

/** `%part%` for LIKE, with the wildcards a person may type taken literally. */
function containing(part: string): string {
  return `%${part.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function matching(db: Db, filter: UserFilter) {
  let query = db.selectFrom('users');
  if (filter.role !== undefined) query = query.where('role', '=', filter.role);
  if (filter.state === 'disabled') query = query.where('disabled', '=', 1);
  if (filter.state === 'timed_out') query = query.where('timed_out_until', '>', filter.now);
  const search = filter.search?.trim() ?? '';
  if (search === '') return query;
  const pattern = containing(search);
  return query.where((eb) =>
    eb.or(
      (['email', 'username', 'display_name'] as const).map(
        (column) => sql<boolean>`lower(${eb.ref(column)}) like ${pattern} escape '\\'`,
      ),
    ),
  );
}

export function findUsers(
  db: Db,
  filter: UserFilter,
  sort: 'joined' | 'last_seen',
  limit: number,
  offset: number,
): Promise<AdminUserRow[]> {
  let query = matching(db, filter).select(COLUMNS);
  // Never seen last on both dialects (PostgreSQL would put nulls first in a descending order).
  if (sort === 'last_seen') query = query.orderBy(sql`last_seen_at is null`).orderBy('last_seen_at', 'desc');
  return query.orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function countUsers(db: Db, filter: UserFilter): Promise<number> {
  const row = await matching(db, filter)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUser(db: Db, id: number): Promise<AdminUserRow | undefined> {
  return db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function findTimezone(db: Db, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('timezone').where('id', '=', id).executeTakeFirst();
  return row?.timezone;
}

export function findUserByEmail(db: Db, email: string): Promise<AdminUserRow | undefined> {
  return db.selectFrom('users').select(COLUMNS).where('email', '=', email).executeTakeFirst();
}

export async function setRole(db: Db, id: number, role: UserRow['role'], now: number): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: now }).where('id', '=', id).execute();
}

/** Disabling or enabling also invalidates every token issued so far. */
export async function setDisabled(db: Db, id: number, disabled: boolean, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ disabled: disabled ? 1 : 0, token_version: eb('token_version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .execute();
}

export async function setTimedOutUntil(db: Db, id: number, until: number | null, now: number): Promise<void> {
  await db.updateTable('users').set({ timed_out_until: until, updated_at: now }).where('id', '=', id).execute();
}

/**
 * The enabled admins' ids. On PostgreSQL their rows stay locked until the transaction ends, so two
 * admins demoting each other at once cannot both see the other as the one who remains; SQLite
 * runs one write transaction at a time anyway.
 */
export function lockActiveAdmins(db: Db): Promise<{ id: number }[]> {
  const query = db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0);
  return lockedOnPostgres(db, query).execute();
}

/** Account figures; `active` are those seen since `seenSince`, `joined` those created since `joinedSince`. */
export async function countsForStats(db: Db, seenSince: number, joinedSince: number) {
  const row = await db
    .selectFrom('users')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('total'),
      eb.fn.sum<number | string | null>(eb.case().when('role', '=', 'admin').then(1).else(0).end()).as('admins'),
      eb.fn.sum<number | string | null>('disabled').as('disabled'),
      eb.fn
        .sum<number | string | null>(eb.case().when('profile_complete', '=', 0).then(1).else(0).end())
        .as('incomplete'),
      eb.fn.count<number | string>('id').filterWhere('last_seen_at', '>=', seenSince).as('active'),
      eb.fn.count<number | string>('id').filterWhere('created_at', '>=', joinedSince).as('joined'),
    ])
    .executeTakeFirstOrThrow();
  return {
    total: Number(row.total),
    admins: Number(row.admins ?? 0),
    disabled: Number(row.disabled ?? 0),
    incomplete: Number(row.incomplete ?? 0),
    active: Number(row.active),
    joined: Number(row.joined),
  };
}
