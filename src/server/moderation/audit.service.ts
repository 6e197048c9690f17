import type { AuditAction, AuditEntry, AuditList, AuditQuery, PersonRef } from '../../protocol/moderation.js';
import type { AppContext } from '../context.js';
import * as repo from './audit.repository.js';

/** Who did it: an admin through the API (with the request's address), or the users command. */
export type Actor = { kind: 'admin'; id: number; address: string | null } | { kind: 'cli' };

export interface AuditRecord {
  actor: Actor;
  action: AuditAction;
  targetUserId?: number | null;
  targetMessageId?: number | null;
  details: Record<string, unknown>;
}

const DEFAULT_LIMIT = 50;

/** One row per admin action; pass the transaction that makes the change, so both stand or fall together. */
export async function recordAudit(db: AppContext['db'], record: AuditRecord, now: number): Promise<void> {
  await repo.insertAudit(db, {
    actor_kind: record.actor.kind,
    actor_id: record.actor.kind === 'admin' ? record.actor.id : null,
    action: record.action,
    target_user_id: record.targetUserId ?? null,
    target_message_id: record.targetMessageId ?? null,
    details: JSON.stringify(record.details),
    address: record.actor.kind === 'admin' ? record.actor.address : null,
    created_at: now,
  });
}

export async function listAudit(deps: Pick<AppContext, 'db'>, query: AuditQuery): Promise<AuditList> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const rows = await repo.listAudit(deps.db, query.before, limit);
  const page = rows.slice(0, limit);
  return {
    entries: page.map(toEntry),
    next_before: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

function person(id: number | null, username: string | null, displayName: string | null): PersonRef | null {
  return id === null ? null : { id, username, display_name: displayName ?? username ?? 'Someone' };
}

function toEntry(row: repo.AuditListRow): AuditEntry {
  return {
    id: row.id,
    actor_kind: row.actor_kind,
    actor: person(row.actor_id, row.actor_username, row.actor_display_name),
    action: row.action as AuditAction,
    target_user: person(row.target_user_id, row.target_username, row.target_display_name),
    target_message_id: row.target_message_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    address: row.address,
    created_at: new Date(row.created_at).toISOString(),
  };
}
