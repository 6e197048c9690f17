import { sql, type Kysely } from 'kysely';
import { isSqlite } from './dialect.js';
import type { Database } from './schema.js';
import { termParts } from '../../protocol/search.js';

/**
 * Ids of live messages whose words match every term (a word, or a prefix with `*`), newest first: the
 * one dialect-specific query of the chat, over the index migration 0023 keeps (FTS5 on SQLite,
 * a `tsvector` with GIN on PostgreSQL). Terms are letters and digits only, with an optional
 * trailing `*` (`protocol/search.ts`), so they are safe inside either query language.
 */
export async function searchMessageIds(
  db: Kysely<Database>,
  terms: readonly string[],
  window: { before?: number; limit: number },
): Promise<number[]> {
  if (terms.length === 0) return [];
  const before = window.before ?? Number.MAX_SAFE_INTEGER;
  if (isSqlite(db)) {
    const match = terms
      .map(termParts)
      .map((t) => `"${t.word}"${t.prefix ? '*' : ''}`)
      .join(' ');
    // FTS5 walks a word's entries newest first and stops at the limit, however common the word.
    const result = await sql<{ id: number }>`select rowid as id from messages_fts
      where messages_fts match ${match} and rowid < ${before} order by rowid desc limit ${window.limit}`.execute(db);
    return result.rows.map((row) => Number(row.id));
  }
  const query = terms
    .map(termParts)
    .map((t) => `${t.word}${t.prefix ? ':*' : ''}`)
    .join(' & ');
  // The planner walks the primary key backwards for a common word (the first rows match) and
  // reads the GIN index for a rare one, if random reads are priced as on an SSD or in memory: at
  // the default 4 it walks 21,000 rows to find 21 of a word in one message of a thousand (see
  // docs/performance.md). Only this query's transaction is told so.
  return db.transaction().execute(async (trx) => {
    await sql`set local random_page_cost = 1.1`.execute(trx);
    const result = await sql<{ id: number }>`select id from messages
      where search @@ to_tsquery('simple', ${query}) and id < ${before} and deleted_at is null
      order by id desc limit ${window.limit}`.execute(trx);
    return result.rows.map((row) => Number(row.id));
  });
}
