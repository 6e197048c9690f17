import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { keepStatements } from './statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

/** The database as services see it: they pass it (or a transaction) to repositories. */
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: DialectName;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  /** Releases the connection or pool; calling it again is harmless. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * PostgreSQL: a query not answered within this many ms fails (15 s, for the server's
   * requests); `null` for none, for batch work such as the import whose statements span a
   * million rows.
   */
  queryTimeoutMs?: number | null;
}

/** Opens the database named by a `sqlite:<file>` or `postgres://…` URL and migrates it. */
export async function openDatabase(databaseUrl: string, options: OpenOptions = {}): Promise<DatabaseHandle> {
  const handle = databaseUrl.startsWith('sqlite:')
    ? openSqlite(databaseUrl.slice('sqlite:'.length))
    : openPostgres(databaseUrl, options.queryTimeoutMs === undefined ? 15_000 : options.queryTimeoutMs);
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

function openSqlite(file: string): DatabaseHandle {
  createPrivateFile(file);
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepStatements(database) }) });
  return { db, dialect: 'sqlite', ping: () => pingWith(db), close: closeOnce(db) };
}

function openPostgres(connectionString: string, queryTimeoutMs: number | null): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: 5_000,
    // A request never hangs on a stuck database: it fails, answers 503, and the pool recovers.
    ...(queryTimeoutMs === null ? {} : { query_timeout: queryTimeoutMs }),
    // bigint ids and epoch-millisecond times fit a JS number; numeric aggregates too.
    types: { getTypeParser: parseNumbersAsNumbers },
  });
  // An idle connection the server dropped (restart, failover) is discarded by the pool and
  // replaced on the next query; without a listener its error would end the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', ping: () => pingWith(db), close: closeOnce(db) };
}

const NUMBER_TYPES = new Set<number>([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);

/** bigint ids, epoch-millisecond times and numeric aggregates fit a JS number: read them as one. */
function parseNumbersAsNumbers(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  return NUMBER_TYPES.has(oid) ? Number : (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown);
}

async function pingWith(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

function closeOnce(db: Kysely<Database>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= db.destroy());
}

/** Runs pending migrations. On PostgreSQL Kysely holds an advisory lock, so concurrent starts run them once. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Creates (or keeps) a file only its owner may read, in a folder only its owner may enter when
 * that folder is new. SQLite gives the WAL and SHM files the database file's mode, and the
 * database holds password hashes: 0600, not the umask's 0644.
 */
export function createPrivateFile(file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}
