import type { Kysely } from 'kysely';
import { prepared } from '../db/prepared.js';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

// Read before every chat send: built once (`prepared`).
const postingFacts = prepared((db: Db, userId: number) =>
  db
    .selectFrom('users')
    .select((eb) => [
      'role',
      'timed_out_until',
      'last_post_at',
      eb.selectFrom('chat_settings').select('slow_mode_seconds').where('slot', '=', 1).as('slow_mode_seconds'),
    ])
    .where('id', '=', userId),
);

/** What the posting rules need of one person, with the chat's slow mode, in one query. */
export async function findPostingFacts(db: Db, userId: number) {
  const { rows } = await db.executeQuery(postingFacts(db, userId));
  return rows[0];
}

/**
 * Starts the person's next slow-mode window, only if nobody did since `previous` was read (another
 * tab, another instance): false when the race was lost, and the caller reads the facts again.
 */
export async function claimPost(db: Db, userId: number, previous: number | null, now: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ last_post_at: now })
    .where('id', '=', userId)
    .where('last_post_at', previous === null ? 'is' : '=', previous)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function readSlowMode(db: Db): Promise<number> {
  const row = await db.selectFrom('chat_settings').select('slow_mode_seconds').where('slot', '=', 1).executeTakeFirst();
  return row?.slow_mode_seconds ?? 0;
}

export async function writeSlowMode(db: Db, seconds: number, now: number): Promise<number> {
  const row = await db
    .updateTable('chat_settings')
    .set({ slow_mode_seconds: seconds, updated_at: now })
    .where('slot', '=', 1)
    .returning('slow_mode_seconds')
    .executeTakeFirstOrThrow();
  return row.slow_mode_seconds;
}
