import { sql, type Kysely } from 'kysely';
import { addIdColumn } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('message_reports'))
    .addColumn('message_id', 'bigint', (col) => col.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('reporter_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by', 'bigint', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('resolution', 'varchar(10)')
    .execute();
  // One open report per person per message: a second one is refused by this index.
  await db.schema
    .createIndex('message_reports_open_unique')
    .on('message_reports')
    .columns(['message_id', 'reporter_id'])
    .unique()
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('message_reports_resolved')
    .on('message_reports')
    .columns(['resolved_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_reports').execute();
}
