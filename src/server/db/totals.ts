import type { Kysely } from 'kysely';
import type { Database, TotalsTable } from './schema.js';

/** An all-time figure that triggers keep true on every write (migration 0005): one row read, never a scan. */
export async function readTotal(db: Kysely<Database>, name: TotalsTable['name']) {
  const row = await db
    .selectFrom('totals')
    .select(['item_count', 'total_ms'])
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return { count: Number(row.item_count), totalMs: Number(row.total_ms) };
}
