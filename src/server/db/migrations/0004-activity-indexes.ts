import type { Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
// A user's messages by time, for the dashboard's per-day counts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('messages_user_created').on('messages').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('messages_user_created').execute();
}
