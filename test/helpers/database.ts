import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle, type DialectName } from '../../src/server/db/database.js';
import { withAdmin } from './postgres-server.js';

/** SQLite always; PostgreSQL too where global-setup found or started one. */
export function testDialects(): DialectName[] {
  return inject('postgresUrl') === null ? ['sqlite'] : ['sqlite', 'postgres'];
}

/** A fresh, migrated database of the dialect, removed again on close. */
export async function openTestDatabase(dialect: DialectName): Promise<DatabaseHandle & { url: string }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-test-'));
    const url = `sqlite:${path.join(dir, 'test.db')}`;
    const handle = await openDatabase(url);
    return { ...handle, url, close: async () => (await handle.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const adminUrl = inject('postgresUrl');
  if (adminUrl === null) throw new Error('no PostgreSQL for this test');
  const name = `codechicks_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase(url.toString());
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      await withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}
