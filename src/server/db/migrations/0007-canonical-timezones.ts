import { sql, type Kysely } from 'kysely';
import { canonicalTimeZone } from '../../../protocol/timezones.js';

// Frozen in time: later changes go in new migrations, never here.
// Time zones used to be stored as typed (`aMeRiCa/NeW_yOrK`); they are now stored in the one
// spelling the app writes (`canonicalTimeZone`, shared with the pages). A name the runtime does
// not know any more becomes UTC, as a new account's would be. There is no way back to the old
// spellings, and none is needed.
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ timezone: string }>`select distinct timezone from users`.execute(db);
  for (const { timezone } of rows) {
    const canonical = canonicalTimeZone(timezone) ?? 'UTC';
    if (canonical !== timezone)
      await sql`update users set timezone = ${canonical} where timezone = ${timezone}`.execute(db);
  }
}

export async function down(): Promise<void> {}
