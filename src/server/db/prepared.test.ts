import { describe, expect, it } from 'vitest';
import { openTestDatabase, testDialects } from '../../../test/helpers/database.js';
import type { Db } from './database.js';
import { prepared } from './prepared.js';

describe.each(testDialects())('prepared statements on %s', (dialect) => {
  it('builds a statement once per database and runs it with each call’s values, also in a transaction', async () => {
    const database = await openTestDatabase(dialect);
    const other = await openTestDatabase(dialect);
    try {
      let builds = 0;
      // A value fixed in the statement (the bound) beside the two that change.
      const settingsOf = prepared((db: Db, slot: number, after: number) => {
        builds += 1;
        return db
          .selectFrom('chat_settings')
          .select(['slot', 'slow_mode_seconds'])
          .where('slot', '=', slot)
          .where('updated_at', '>=', after)
          .where('slow_mode_seconds', '<', 86_400);
      });
      for (const db of [database.db, other.db]) {
        await db
          .updateTable('chat_settings')
          .set({ slow_mode_seconds: 30, updated_at: 5 })
          .where('slot', '=', 1)
          .execute();
      }
      const first = await database.db.executeQuery(settingsOf(database.db, 1, 0));
      expect(first.rows).toEqual([{ slot: 1, slow_mode_seconds: 30 }]);
      expect((await database.db.executeQuery(settingsOf(database.db, 1, 6))).rows).toEqual([]);
      expect((await database.db.executeQuery(settingsOf(database.db, 2, 0))).rows).toEqual([]);
      const inTransaction = await database.db
        .transaction()
        .execute(async (trx) => (await trx.executeQuery(settingsOf(database.db, 1, 5))).rows);
      expect(inTransaction).toEqual([{ slot: 1, slow_mode_seconds: 30 }]);
      expect(builds).toBe(1);

      expect((await other.db.executeQuery(settingsOf(other.db, 1, 0))).rows).toEqual([
        { slot: 1, slow_mode_seconds: 30 },
      ]);
      expect(builds).toBe(2);
    } finally {
      await database.close();
      await other.close();
    }
  });
});
