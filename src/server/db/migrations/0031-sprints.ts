import { sql, type Kysely } from 'kysely';
import { addIdColumn } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
// Group sprints: a shared focus block with a break after it, announced in the chat by a message.
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('sprints'))
    .addColumn('creator_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('label', 'varchar(80)', (col) => col.notNull())
    .addColumn('focus_ms', 'bigint', (col) => col.notNull())
    .addColumn('break_ms', 'bigint', (col) => col.notNull())
    .addColumn('starts_at', 'bigint', (col) => col.notNull())
    .addColumn('state', 'varchar(10)', (col) => col.notNull())
    .addColumn('message_id', 'bigint')
    .addColumn('total_focus_ms', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  // At most one open sprint per creator, decided by the database whatever the race.
  await db.schema
    .createIndex('sprints_one_open_per_creator')
    .on('sprints')
    .column('creator_id')
    .unique()
    .where(sql.ref('state'), 'in', ['scheduled', 'running', 'break'])
    .execute();
  await db.schema.createIndex('sprints_state').on('sprints').columns(['state', 'starts_at']).execute();
  await db.schema.createIndex('sprints_message').on('sprints').column('message_id').execute();

  await db.schema
    .createTable('sprint_participants')
    .addColumn('sprint_id', 'bigint', (col) => col.notNull().references('sprints.id').onDelete('cascade'))
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('joined_at', 'bigint', (col) => col.notNull())
    .addColumn('left_at', 'bigint')
    .addPrimaryKeyConstraint('sprint_participants_pk', ['sprint_id', 'user_id'])
    .execute();
  await db.schema.createIndex('sprint_participants_user').on('sprint_participants').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sprint_participants').execute();
  await db.schema.dropTable('sprints').execute();
}
