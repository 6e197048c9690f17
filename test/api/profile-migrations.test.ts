import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { openTestDatabase, testDialects } from '../helpers/database.js';

describe.each(testDialects())('profile migrations on %s', (dialect) => {
  let database: DatabaseHandle;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(() => database.close());

  it('canonicalises stored time zones, turns focus sharing off for new accounts and keeps existing choices', async () => {
    const { db } = database;
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    const down = await migrator.migrateTo('0006-legacy-provider');
    expect(down.error).toBeUndefined();

    const now = Date.now();
    const before = [
      { email: 'shouty@example.com', timezone: 'aMeRiCa/NeW_yOrK', share_focus: 1 },
      { email: 'lower@example.com', timezone: 'asia/kolkata', share_focus: 0 },
      { email: 'gone@example.com', timezone: 'Mars/Olympus_Mons', share_focus: 1 },
      { email: 'fine@example.com', timezone: 'Europe/Berlin', share_focus: 1 },
    ];
    for (const row of before) {
      await db
        .insertInto('users')
        .values({ ...row, password_hash: null, created_at: now, updated_at: now })
        .execute();
    }
    // An account made before the change without a choice got the old default: it keeps sharing.
    await db
      .insertInto('users')
      .values({ email: 'default@example.com', password_hash: null, created_at: now, updated_at: now })
      .execute();

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const rows = await db.selectFrom('users').select(['email', 'timezone', 'share_focus']).orderBy('id').execute();
    expect(rows).toEqual([
      { email: 'shouty@example.com', timezone: 'America/New_York', share_focus: 1 },
      { email: 'lower@example.com', timezone: 'Asia/Kolkata', share_focus: 0 },
      { email: 'gone@example.com', timezone: 'UTC', share_focus: 1 },
      { email: 'fine@example.com', timezone: 'Europe/Berlin', share_focus: 1 },
      { email: 'default@example.com', timezone: 'UTC', share_focus: 1 },
    ]);

    await db
      .insertInto('users')
      .values({ email: 'new@example.com', password_hash: null, created_at: now, updated_at: now })
      .execute();
    const fresh = await db
      .selectFrom('users')
      .select('share_focus')
      .where('email', '=', 'new@example.com')
      .executeTakeFirstOrThrow();
    expect(fresh.share_focus).toBe(0);
    // The column keeps refusing null.
    await expect(
      db
        .insertInto('users')
        .values({
          email: 'null@example.com',
          password_hash: null,
          share_focus: null as never,
          created_at: now,
          updated_at: now,
        })
        .execute(),
    ).rejects.toThrow();

    // And it can be undone: the old default is back, the values stay.
    expect((await migrator.migrateTo('0007-canonical-timezones')).error).toBeUndefined();
    await db
      .insertInto('users')
      .values({ email: 'older@example.com', password_hash: null, created_at: now, updated_at: now })
      .execute();
    const older = await db
      .selectFrom('users')
      .select('share_focus')
      .where('email', '=', 'older@example.com')
      .executeTakeFirstOrThrow();
    expect(older.share_focus).toBe(1);
  });
});
