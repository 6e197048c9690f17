import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * better-sqlite3 for Kysely, keeping the `max` statements prepared last: Kysely prepares every
 * query again, and preparing took 5–6 % of the server's time in a chat fan-out. Kysely's one SQLite
 * connection runs one query at a time (a stream holds it to the end), so a kept statement is never
 * busy when it is taken again; SQLite prepares it anew by itself after a schema change.
 */
export function keepStatements(database: SQLite.Database, max = 500): SqliteDatabase & { kept(): number } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        // The oldest goes first: SQL built with inlined values (lists) must not grow the map without end.
        if (statements.size >= max) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
    kept: () => statements.size,
  };
}
