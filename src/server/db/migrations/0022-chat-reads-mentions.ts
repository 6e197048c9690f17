import type { Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
//
// Each person's read position in the chat (only moves forward), and who each message mentions,
// filled when a message is stored or edited: unread and mention counts are then index range
// reads (`messages` by id, `message_mentions` by person and id), never a scan of the text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_reads')
    .addColumn('user_id', 'bigint', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('last_read_id', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('message_mentions')
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('message_id', 'bigint', (col) => col.notNull().references('messages.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('message_mentions_pk', ['user_id', 'message_id'])
    .execute();
  // Replacing a message's mentions on edit, and the cascade when a message row is removed.
  await db.schema.createIndex('message_mentions_message').on('message_mentions').column('message_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_mentions').execute();
  await db.schema.dropTable('chat_reads').execute();
}
