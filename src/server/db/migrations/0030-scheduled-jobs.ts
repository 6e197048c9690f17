import type { Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
// Work the server does by itself at a time (a run reaching its end, a sprint changing state): one
// row per (kind, subject), claimed by one instance with `lease_until` (see src/server/scheduler).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('subject_id', 'bigint', (col) => col.notNull())
    .addColumn('due_at', 'bigint', (col) => col.notNull())
    .addColumn('lease_until', 'bigint')
    .addPrimaryKeyConstraint('scheduled_jobs_pk', ['kind', 'subject_id'])
    .execute();
  await db.schema.createIndex('scheduled_jobs_due').on('scheduled_jobs').column('due_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scheduled_jobs').execute();
}
