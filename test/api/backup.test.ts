import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupSqlite } from '../../src/server/db/backup.js';
import { createTestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe('the SQLite backup', () => {
  it('copies the live database, consistent, while the app keeps running', async () => {
    const t = await createTestApp('sqlite');
    try {
      const users = await Promise.all([1, 2, 3].map(() => makeUser(t)));
      const [writer, reader] = users as [TestUser, TestUser, TestUser];
      expect((await as(writer).post('/api/chat/messages', { content: 'kept' })).statusCode).toBe(201);
      const destination = path.join(mkdtempSync(path.join(tmpdir(), 'cc-backup-')), 'nested', 'copy.db');
      expect(await backupSqlite(t.database.url, destination)).toBeGreaterThan(0);
      // The app still works after the backup.
      expect((await as(reader).get('/auth/me')).statusCode).toBe(200);

      const copy = new SQLite(destination, { readonly: true });
      const emails = copy.prepare('select email from users order by id').all() as { email: string }[];
      const messages = copy.prepare('select content from messages').all() as { content: string }[];
      copy.close();
      expect(emails.map((e) => e.email).sort()).toEqual(users.map((u) => u.email).sort());
      expect(messages).toEqual([{ content: 'kept' }]);
    } finally {
      await t.close();
    }
  });

  it('refuses a PostgreSQL URL with a pointer to pg_dump', async () => {
    await expect(backupSqlite('postgres://x@localhost/db', '/tmp/never.db')).rejects.toThrow(/pg_dump/);
  });
});
