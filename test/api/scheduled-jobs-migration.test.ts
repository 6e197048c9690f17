import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { openTestDatabase, testDialects } from '../helpers/database.js';

describe.each(testDialects())('scheduled jobs migration on %s', (dialect) => {
  let database: DatabaseHandle;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(() => database.close());

  it('schedules the end of the pomodoros running at upgrade time, and can be undone', async () => {
    const { db } = database;
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    expect((await migrator.migrateTo('0024-message-types')).error).toBeUndefined();

    const now = Date.now();
    const ids: number[] = [];
    for (const email of ['pomodoro@example.com', 'open@example.com', 'paused@example.com']) {
      const { id } = await db
        .insertInto('users')
        .values({ email, password_hash: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(id);
    }
    const [pomodoro = 0, open = 0, paused = 0] = ids;
    const timer = { label: '', ended_by: null, version: 1, updated_at: now };
    await db
      .insertInto('timers')
      .values([
        {
          ...timer,
          user_id: pomodoro,
          state: 'running',
          run_started_at: now,
          accumulated_ms: 60_000,
          target_ms: 1_500_000,
        },
        { ...timer, user_id: open, state: 'running', run_started_at: now, accumulated_ms: 0, target_ms: null },
        { ...timer, user_id: paused, state: 'paused', run_started_at: null, accumulated_ms: 5, target_ms: 1_500_000 },
      ])
      .execute();

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const jobs = await db.selectFrom('scheduled_jobs').selectAll().execute();
    expect(jobs).toEqual([{ kind: 'timer-end', subject_id: pomodoro, due_at: now + 1_440_000, lease_until: null }]);

    expect((await migrator.migrateTo('0024-message-types')).error).toBeUndefined();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });
});
