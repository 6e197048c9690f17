import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** An enabled account by username (ignoring case), with the fields its public profile shows. */
export function findPublicUser(db: Kysely<Database>, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'bio', 'avatar_url', 'created_at', 'share_focus', 'timezone'])
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .where('disabled', '=', 0)
    .executeTakeFirst();
}
