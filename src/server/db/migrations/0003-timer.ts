import type { Kysely } from 'kysely';
import { addIdColumn } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('timers')
    .addColumn('user_id', 'bigint', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('state', 'varchar(10)', (col) => col.notNull())
    .addColumn('run_started_at', 'bigint')
    .addColumn('accumulated_ms', 'bigint', (col) => col.notNull())
    .addColumn('label', 'varchar(80)', (col) => col.notNull())
    .addColumn('target_ms', 'bigint')
    .addColumn('ended_by', 'varchar(10)')
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await addIdColumn(db, db.schema.createTable('focus_sessions'))
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('ended_at', 'bigint', (col) => col.notNull())
    .addColumn('duration_ms', 'bigint', (col) => col.notNull())
    .addColumn('label', 'varchar(80)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('focus_sessions_user_started')
    .on('focus_sessions')
    .columns(['user_id', 'started_at'])
    .execute();
  await db.schema.createIndex('focus_sessions_started').on('focus_sessions').column('started_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('focus_sessions').execute();
  await db.schema.dropTable('timers').execute();
}
