import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
// The chat's settings are one row; a person's last post (for slow mode) and the end of their
// timeout live on their account, so every instance reads the same.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_settings')
    .addColumn('slot', 'integer', (col) => col.primaryKey().check(sql`slot = 1`))
    .addColumn('slow_mode_seconds', 'integer', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await sql`insert into chat_settings (slot, slow_mode_seconds, updated_at) values (1, 0, 0)`.execute(db);
  await db.schema.alterTable('users').addColumn('timed_out_until', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('last_post_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('last_post_at').execute();
  await db.schema.alterTable('users').dropColumn('timed_out_until').execute();
  await db.schema.dropTable('chat_settings').execute();
}
