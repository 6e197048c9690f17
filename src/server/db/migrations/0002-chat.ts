import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Message ids are taken from this one row under its row lock, inside the insert's
  // transaction: ids then become visible in commit order, so an `after=` cursor never skips one.
  await db.schema
    .createTable('chat_sequence')
    .addColumn('name', 'varchar(20)', (col) => col.primaryKey())
    .addColumn('last_id', 'bigint', (col) => col.notNull())
    .execute();
  await sql`insert into chat_sequence (name, last_id) values ('messages', 0)`.execute(db);

  await db.schema
    .createTable('messages')
    .addColumn('id', 'bigint', (col) => col.primaryKey())
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('reply_to_id', 'bigint')
    .addColumn('client_id', 'varchar(64)')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('edited_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .execute();
  // A retried send with the same client_id finds this index and gets the stored message back.
  await db.schema
    .createIndex('messages_user_client_unique')
    .on('messages')
    .columns(['user_id', 'client_id'])
    .unique()
    .where(sql.ref('client_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('messages_user_id').on('messages').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('messages_created_at').on('messages').column('created_at').execute();

  await db.schema
    .createTable('message_reactions')
    .addColumn('message_id', 'bigint', (col) => col.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('emoji', 'varchar(16)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('message_reactions_pk', ['message_id', 'user_id', 'emoji'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_reactions').execute();
  await db.schema.dropTable('messages').execute();
  await db.schema.dropTable('chat_sequence').execute();
}
