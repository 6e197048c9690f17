import { sql, type Kysely } from 'kysely';
import { addIdColumn } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
// Every admin action, by an admin (actor_id) or the users command (actor_kind 'cli').
// `first_admin` holds one row at most: the account that became admin by being the first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('audit_log'))
    .addColumn('actor_kind', 'varchar(10)', (col) => col.notNull())
    .addColumn('actor_id', 'bigint', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('action', 'varchar(40)', (col) => col.notNull())
    .addColumn('target_user_id', 'bigint', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('target_message_id', 'bigint')
    .addColumn('details', 'text', (col) => col.notNull())
    .addColumn('address', 'varchar(64)')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('first_admin')
    .addColumn('slot', 'integer', (col) => col.primaryKey().check(sql`slot = 1`))
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('first_admin').execute();
  await db.schema.dropTable('audit_log').execute();
}
