import { sql, type Kysely } from 'kysely';
import { addIdColumn } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('users'))
    .addColumn('email', 'varchar(254)', (col) => col.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('username', 'varchar(30)')
    .addColumn('display_name', 'varchar(50)')
    .addColumn('age', 'integer')
    .addColumn('bio', 'text')
    .addColumn('avatar_url', 'text')
    .addColumn('timezone', 'varchar(64)', (col) => col.notNull().defaultTo('UTC'))
    .addColumn('profile_complete', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('share_focus', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('role', 'varchar(10)', (col) => col.notNull().defaultTo('user'))
    .addColumn('disabled', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('token_version', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('last_seen_at', 'bigint')
    .execute();

  await db.schema.createIndex('users_email_unique').on('users').column('email').unique().execute();
  // Any number of users may have no username; the others are unique ignoring case.
  await db.schema
    .createIndex('users_username_unique')
    .on('users')
    .expression(sql`lower(username)`)
    .unique()
    .where(sql.ref('username'), 'is not', null)
    .execute();
  await db.schema.createIndex('users_created_at').on('users').column('created_at').execute();
  await db.schema.createIndex('users_last_seen_at').on('users').column('last_seen_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
