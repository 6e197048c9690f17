import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

export interface Job {
  kind: string;
  subjectId: number;
  dueAt: number;
  /** What this claim wrote into `lease_until`: only the claimant's `finishJob` removes the row. */
  lease: number;
}

/**
 * Sets (or, with `dueAt` null, removes) the job of a subject. Call it in the transaction that
 * changes the subject, so the stored due time always matches the stored state. A new due time
 * drops any claim, so a run that is rescheduled while being handled is not removed by it.
 */
export async function setJob(db: Db, kind: string, subjectId: number, dueAt: number | null): Promise<void> {
  if (dueAt === null) {
    await db.deleteFrom('scheduled_jobs').where('kind', '=', kind).where('subject_id', '=', subjectId).execute();
    return;
  }
  await db
    .insertInto('scheduled_jobs')
    .values({ kind, subject_id: subjectId, due_at: dueAt, lease_until: null })
    .onConflict((oc) => oc.columns(['kind', 'subject_id']).doUpdateSet({ due_at: dueAt, lease_until: null }))
    .execute();
}

/** When the next job can be taken: its due time, or when its claim runs out; null when there is none. */
export async function nextDue(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('scheduled_jobs')
    .select((eb) => eb.fn.min(eb.fn.coalesce('lease_until', 'due_at')).as('next'))
    .executeTakeFirst();
  return row?.next === null || row?.next === undefined ? null : Number(row.next);
}

/**
 * Claims up to `limit` jobs due at `now`: each is taken by one conditional update, so of several
 * instances waking at once exactly one gets it. A claim lasts `leaseMs`; a job whose claimant
 * died is taken again after that.
 */
export async function claimDue(db: Db, now: number, leaseMs: number, limit: number): Promise<Job[]> {
  const candidates = await db
    .selectFrom('scheduled_jobs')
    .select(['kind', 'subject_id', 'due_at'])
    .where('due_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('due_at')
    .limit(limit)
    .execute();
  const lease = now + leaseMs;
  const claimed: Job[] = [];
  for (const row of candidates) {
    const result = await db
      .updateTable('scheduled_jobs')
      .set({ lease_until: lease })
      .where('kind', '=', row.kind)
      .where('subject_id', '=', row.subject_id)
      .where('due_at', '=', row.due_at)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) {
      claimed.push({ kind: row.kind, subjectId: Number(row.subject_id), dueAt: Number(row.due_at), lease });
    }
  }
  return claimed;
}

/** Removes a handled job, unless it was set again meanwhile (then it waits for its new time). */
export async function finishJob(db: Db, job: Job): Promise<void> {
  await db
    .deleteFrom('scheduled_jobs')
    .where('kind', '=', job.kind)
    .where('subject_id', '=', job.subjectId)
    .where('due_at', '=', job.dueAt)
    .where('lease_until', '=', job.lease)
    .execute();
}
