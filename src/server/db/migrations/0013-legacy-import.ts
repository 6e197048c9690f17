import type { Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
//
// `legacy_ids`: which Python-version document became which row (users, messages), so a second
// import adds nothing and replies find their new ids. `legacy_message_staging`: the messages of
// one import while it runs (inside its transaction, empty otherwise), so they can be numbered in
// time order by the database instead of held in memory.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('legacy_ids')
    .addColumn('kind', 'varchar(10)', (col) => col.notNull())
    .addColumn('legacy_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('new_id', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('legacy_ids_pk', ['kind', 'legacy_id'])
    .execute();
  await db.schema.createIndex('legacy_ids_new_id').on('legacy_ids').columns(['kind', 'new_id']).execute();
  await db.schema
    .createTable('legacy_message_staging')
    .addColumn('legacy_id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('sender_email', 'varchar(254)', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('deleted', 'integer', (col) => col.notNull())
    .addColumn('reply_to_legacy_id', 'varchar(64)')
    .addColumn('user_id', 'bigint')
    .addColumn('new_id', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('legacy_message_staging').execute();
  await db.schema.dropTable('legacy_ids').execute();
}
