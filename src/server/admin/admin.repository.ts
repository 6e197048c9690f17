import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../db/database.js';
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
>;

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
] as const;

/** `%part%` for LIKE, with the wildcards a person may type taken literally. */
function containing(part: string): string {
  return `%${part.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function matching(db: Db, search: string | undefined) {
  const query = db.selectFrom('users');
  if (search === undefined || search.trim() === '') return query;
  const pattern = containing(search.trim());
  return query.where((eb) =>
    eb.or(
      (['email', 'username', 'display_name'] as const).map(
        (column) => sql<boolean>`lower(${eb.ref(column)}) like ${pattern} escape '\\'`,
      ),
    ),
  );
}

export function findUsers(db: Db, search: string | undefined, limit: number, offset: number): Promise<AdminUserRow[]> {
  return matching(db, search).select(COLUMNS).orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function countUsers(db: Db, search: string | undefined): Promise<number> {
  const row = await matching(db, search)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUser(db: Db, id: number): Promise<AdminUserRow | undefined> {
  return db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/**
 * The enabled admins' ids. On PostgreSQL their rows stay locked until the transaction ends, so two
 * admins demoting each other at once cannot both see the other as the one who remains; SQLite
 * runs one write transaction at a time anyway.
 */
export function lockActiveAdmins(db: Db, dialect: DialectName): Promise<{ id: number }[]> {
  const query = db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0);
  return (dialect === 'postgres' ? query.forUpdate() : query).execute();
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
