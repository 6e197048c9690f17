import type { CreateTableBuilder, Kysely } from 'kysely';
import { isSqlite } from '../dialect.js';

export { isSqlite };

/** An increasing integer key: SQLite's AUTOINCREMENT rowid, PostgreSQL's identity column. */
export function addIdColumn<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>) {
  return isSqlite(db)
    ? table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity());
}
