import SQLite from 'better-sqlite3';
import { createPrivateFile } from './database.js';

/**
 * Copies a live SQLite database to `destination` with SQLite's online backup: consistent even
 * while the server keeps writing (WAL), and without stopping it. Returns the pages copied.
 */
export async function backupSqlite(databaseUrl: string, destination: string): Promise<number> {
  if (!databaseUrl.startsWith('sqlite:')) {
    throw new Error('DATABASE_URL is PostgreSQL: back it up with pg_dump (see docs/deployment.md)');
  }
  createPrivateFile(destination);
  const source = new SQLite(databaseUrl.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await source.backup(destination);
    return totalPages;
  } finally {
    source.close();
  }
}
