import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { makeUser } from '../helpers/users.js';

const postgresUrl = inject('postgresUrl');

describe.skipIf(postgresUrl === null)('PostgreSQL going away', () => {
  it('answers 503 quickly instead of hanging, and recovers without a restart', async () => {
    const t = await createTestApp('postgres');
    const admin = new pg.Client({ connectionString: postgresUrl ?? '' });
    await admin.connect();
    const name = new URL(t.database.url).pathname.slice(1);
    try {
      const u = await makeUser(t);
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );

      const started = Date.now();
      const down = await as(u).get('/api/profile');
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({
        detail: 'The database is unavailable: try again in a few seconds',
        code: 'service_unavailable',
      });
      expect(down.headers['retry-after']).toBe('5');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await guest(t.app).get('/readyz')).json()).toMatchObject({
        status: 'unavailable',
        database: 'unreachable',
      });

      await admin.query(`alter database ${name} allow_connections true`);
      const back = await as(u).get('/api/profile');
      expect(back.statusCode).toBe(200);
      expect((await guest(t.app).get('/readyz')).statusCode).toBe(200);
    } finally {
      await admin.query(`alter database ${name} allow_connections true`);
      await admin.end();
      await t.close();
    }
  });
});
