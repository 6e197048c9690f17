import type { Kysely } from 'kysely';
import { addIdColumn } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
// Focusing together, personal part: two opt-in profile settings (the weekly leaderboard, quiet
// mentions while focusing), whether the timer's current run was announced in the chat (so its
// end posts the matching check-in once), and each person's short list of today's goals.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('leaderboard', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('quiet_while_focusing', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('timers')
    .addColumn('announced', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await addIdColumn(db, db.schema.createTable('tasks'))
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'varchar(80)', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('tasks_user').on('tasks').columns(['user_id', 'position']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tasks').execute();
  await db.schema.alterTable('timers').dropColumn('announced').execute();
  await db.schema.alterTable('users').dropColumn('quiet_while_focusing').execute();
  await db.schema.alterTable('users').dropColumn('leaderboard').execute();
}
