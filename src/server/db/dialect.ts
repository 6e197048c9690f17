import { SqliteAdapter, type QueryExecutor } from 'kysely';

/** A Kysely handle or a transaction on one, whatever its tables. */
interface Handle {
  getExecutor(): QueryExecutor;
}

/** Whether `db` is SQLite. Dialect differences stay in `db/` and the repositories. */
export function isSqlite(db: Handle): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** Locks the rows a select reads until the transaction ends; SQLite's one writer already covers them. */
export function lockedOnPostgres<Q extends { forUpdate(): Q }>(db: Handle, query: Q): Q {
  return isSqlite(db) ? query : query.forUpdate();
}
