import { sql, type Kysely } from 'kysely';

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
  // Pomodoros running now end at their target by the scheduler too (the rest end when next read).
  await sql`
    insert into scheduled_jobs (kind, subject_id, due_at, lease_until)
    select 'timer-end', user_id, run_started_at + target_ms - accumulated_ms, null
    from timers where state = 'running' and run_started_at is not null and target_ms is not null
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scheduled_jobs').execute();
}
