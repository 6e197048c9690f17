import type { Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
// A user's runs in the order they were recorded: the CSV export pages through them by id.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('focus_sessions_user_id').on('focus_sessions').columns(['user_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('focus_sessions_user_id').execute();
}
