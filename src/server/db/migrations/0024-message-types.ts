import type { Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
// What a chat message is: a person's text, or a post the server makes for them (a group sprint's
// card, a focus check-in). The values are `MessageType` in src/protocol/chat.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('message_type', 'varchar(16)', (col) => col.notNull().defaultTo('text'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('message_type').execute();
}
