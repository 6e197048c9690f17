import type { Insertable, Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../db/schema.js';

type Db = Kysely<Database>;

export async function insertAudit(db: Db, row: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/** Newest first, with the current names of the actor and the target; one row more tells whether more exist. */
export function listAudit(db: Db, before: number | undefined, limit: number) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users as actor', 'actor.id', 'audit_log.actor_id')
    .leftJoin('users as target', 'target.id', 'audit_log.target_user_id')
    .select([
      'audit_log.id',
      'audit_log.actor_kind',
      'audit_log.actor_id',
      'audit_log.action',
      'audit_log.target_user_id',
      'audit_log.target_message_id',
      'audit_log.details',
      'audit_log.address',
      'audit_log.created_at',
      'actor.username as actor_username',
      'actor.display_name as actor_display_name',
      'target.username as target_username',
      'target.display_name as target_display_name',
    ]);
  if (before !== undefined) query = query.where('audit_log.id', '<', before);
  return query
    .orderBy('audit_log.id', 'desc')
    .limit(limit + 1)
    .execute();
}

export type AuditListRow = Awaited<ReturnType<typeof listAudit>>[number];
