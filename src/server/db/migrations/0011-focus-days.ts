import { sql, type Kysely } from 'kysely';
import { localDayShares } from '../../shared/local-days.js';

// Frozen in time: later changes go in new migrations, never here.
// Focus per user and local day, kept as runs are recorded and deleted: the dashboard's streaks
// and all-time figures read days, not every run. Each run keeps the time zone its days were
// counted in, so deleting it takes back exactly what it added.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('focus_days')
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('day', 'varchar(10)', (col) => col.notNull())
    .addColumn('focus_ms', 'bigint', (col) => col.notNull())
    .addColumn('runs', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('focus_days_pkey', ['user_id', 'day'])
    .execute();
  await db.schema
    .alterTable('focus_sessions')
    .addColumn('time_zone', 'varchar(64)', (col) => col.notNull().defaultTo('UTC'))
    .execute();
  await sql`update focus_sessions set time_zone = (select timezone from users where users.id = focus_sessions.user_id)`.execute(
    db,
  );
  await backfill(db as Kysely<Record<string, Record<string, unknown>>>);
}

async function backfill(db: Kysely<Record<string, Record<string, unknown>>>): Promise<void> {
  for (let after = 0; ;) {
    const runs = (await db
      .selectFrom('focus_sessions')
      .select(['id', 'user_id', 'started_at', 'ended_at', 'time_zone'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000)
      .execute()) as { id: number; user_id: number; started_at: number; ended_at: number; time_zone: string }[];
    if (runs.length === 0) return;
    const days = new Map<string, { user_id: number; day: string; focus_ms: number; runs: number }>();
    for (const run of runs) {
      for (const share of localDayShares(Number(run.started_at), Number(run.ended_at), run.time_zone)) {
        const key = `${run.user_id}/${share.day}`;
        const row = days.get(key) ?? { user_id: Number(run.user_id), day: share.day, focus_ms: 0, runs: 0 };
        row.focus_ms += share.focusMs;
        row.runs += share.runs;
        days.set(key, row);
      }
    }
    await db
      .insertInto('focus_days')
      .values([...days.values()])
      .onConflict((oc) =>
        oc.columns(['user_id', 'day']).doUpdateSet({
          focus_ms: sql`focus_days.focus_ms + excluded.focus_ms`,
          runs: sql`focus_days.runs + excluded.runs`,
        }),
      )
      .execute();
    after = Number(runs[runs.length - 1]?.id ?? after);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('focus_sessions').dropColumn('time_zone').execute();
  await db.schema.dropTable('focus_days').execute();
}
