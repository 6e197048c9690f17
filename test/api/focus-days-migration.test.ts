import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { openTestDatabase, testDialects } from '../helpers/database.js';

const HOUR = 3_600_000;

describe.each(testDialects())('focus days migration on %s', (dialect) => {
  let database: DatabaseHandle;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(() => database.close());

  it('counts the runs already there in each user’s time zone, and can be undone', async () => {
    const { db } = database;
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    const down = await migrator.migrateTo('0010-focus-sessions-by-id');
    expect(down.error).toBeUndefined();

    const now = Date.now();
    const { id } = await db
      .insertInto('users')
      .values({ email: 'kolkata@example.com', password_hash: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('users').set({ timezone: 'Asia/Kolkata' }).where('id', '=', id).execute();
    // 18:00–19:00 UTC on March 10 is 23:30 March 10 – 00:30 March 11 in Kolkata; then one on March 12.
    const runs = [
      [Date.UTC(2026, 2, 10, 18), Date.UTC(2026, 2, 10, 19)],
      [Date.UTC(2026, 2, 12, 6), Date.UTC(2026, 2, 12, 6) + HOUR / 2],
    ];
    // Written as plain SQL, without the column this migration adds.
    for (const [start = 0, end = 0] of runs) {
      await sql`insert into focus_sessions (user_id, started_at, ended_at, duration_ms, label)
        values (${id}, ${start}, ${end}, ${end - start}, '')`.execute(db);
    }

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const days = await db
      .selectFrom('focus_days')
      .select(['day', 'focus_ms', 'runs'])
      .where('user_id', '=', id)
      .orderBy('day')
      .execute();
    expect(days.map((d) => ({ ...d, focus_ms: Number(d.focus_ms), runs: Number(d.runs) }))).toEqual([
      { day: '2026-03-10', focus_ms: HOUR / 2, runs: 1 },
      { day: '2026-03-11', focus_ms: HOUR / 2, runs: 0 },
      { day: '2026-03-12', focus_ms: HOUR / 2, runs: 1 },
    ]);
    const zones = await db.selectFrom('focus_sessions').select('time_zone').execute();
    expect(zones.map((z) => z.time_zone)).toEqual(['Asia/Kolkata', 'Asia/Kolkata']);

    const undone = await migrator.migrateTo('0010-focus-sessions-by-id');
    expect(undone.error).toBeUndefined();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });
});
