import { sql, type Kysely } from 'kysely';
import { isSqlite } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
// Focus sharing (the timer label shown to everyone online) is off until the person turns it on;
// existing accounts keep what they have. SQLite cannot change a column's default in place, so
// the column is replaced by one with the new default and the values are copied over.
export async function up(db: Kysely<unknown>): Promise<void> {
  await setDefault(db, 0);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setDefault(db, 1);
}

async function setDefault(db: Kysely<unknown>, value: 0 | 1): Promise<void> {
  if (!isSqlite(db)) {
    await db.schema
      .alterTable('users')
      .alterColumn('share_focus', (col) => col.setDefault(value))
      .execute();
    return;
  }
  await db.schema.alterTable('users').renameColumn('share_focus', 'share_focus_before').execute();
  await db.schema
    .alterTable('users')
    .addColumn('share_focus', 'integer', (col) => col.notNull().defaultTo(value))
    .execute();
  await sql`update users set share_focus = share_focus_before`.execute(db);
  await db.schema.alterTable('users').dropColumn('share_focus_before').execute();
}
