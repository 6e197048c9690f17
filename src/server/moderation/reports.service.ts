import { emit } from '../realtime/emit.js';
import type {
  PersonRef,
  ReportCount,
  ReportCreated,
  ReportedMessage,
  ReportList,
  ReportListQuery,
  ReportResolution,
} from '../../protocol/moderation.js';
import type { SessionUser } from '../auth/auth.service.js';
import { announceDeleted, shownName, softDeleteIn } from '../chat/chat.service.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { AttemptLimiter } from '../http/attempt-limiter.js';
import { httpError, notFound, tooManyRequests } from '../http/errors.js';
import { recordAudit, type Actor } from './audit.service.js';
import * as repo from './reports.repository.js';

export interface ReportDeps extends Pick<AppContext, 'db' | 'clock' | 'bus'> {
  /** Reports per person (times RATE_LIMIT_FACTOR). */
  reportLimit: AttemptLimiter;
}

const DEFAULT_LIMIT = 50;

/** Reports a message of someone else; one open report per person per message (the index decides). */
export async function reportMessage(
  deps: ReportDeps,
  reporter: SessionUser,
  messageId: number,
  reason: string,
): Promise<ReportCreated> {
  const wait = await deps.reportLimit.take(String(reporter.id));
  if (wait > 0) throw tooManyRequests(wait);
  const message = await repo.findMessageAuthor(deps.db, messageId);
  if (message === undefined || message.deleted_at !== null) throw notFound('Message');
  if (message.user_id === reporter.id) throw httpError('cannot_report_own', 'You cannot report your own message');
  let created;
  try {
    created = await repo.insertReport(deps.db, messageId, reporter.id, reason.trim(), deps.clock.now());
  } catch (error) {
    if (isUniqueViolation(error, 'message_reports.open')) {
      throw httpError('already_reported', 'You have reported this message already');
    }
    throw error;
  }
  await announceOpenCount(deps);
  return { id: created.id, message_id: created.message_id, created_at: new Date(created.created_at).toISOString() };
}

export async function countOpenReports(deps: Pick<AppContext, 'db'>): Promise<ReportCount> {
  return { open_count: await repo.countOpenMessages(deps.db) };
}

export async function listReports(deps: Pick<AppContext, 'db'>, query: ReportListQuery): Promise<ReportList> {
  const open = (query.status ?? 'open') === 'open';
  const ids = await repo.findReportedMessageIds(deps.db, open, query.limit ?? DEFAULT_LIMIT);
  const rows = await repo.findReportsOf(
    deps.db,
    ids.map((r) => r.message_id),
    open,
  );
  const byMessage = new Map<number, repo.ReportRow[]>();
  for (const row of rows) byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), row]);
  const reports = ids.flatMap(({ message_id }) => {
    const group = byMessage.get(message_id);
    return group === undefined ? [] : [toReportedMessage(group)];
  });
  return { reports, open_count: await repo.countOpenMessages(deps.db) };
}

/**
 * Closes every open report of the report's message: `dismiss` leaves the message, `delete` removes
 * it (the usual soft delete, pushed to every page). One audit row either way.
 */
export async function resolveReport(
  deps: ReportDeps,
  actor: Actor,
  reportId: number,
  action: ReportResolution,
): Promise<ReportCount> {
  const now = deps.clock.now();
  const { messageId, deleted } = await deps.db.transaction().execute(async (trx) => {
    const report = await repo.findReport(trx, reportId);
    if (report === undefined) throw notFound('Report');
    const message = await repo.findMessageAuthor(trx, report.message_id);
    const closed = await repo.resolveOpenReports(
      trx,
      report.message_id,
      actor.kind === 'admin' ? actor.id : null,
      action,
      now,
    );
    if (closed === 0) throw httpError('already_resolved', 'This report is resolved already');
    const removes = action === 'delete' && message !== undefined && message.deleted_at === null;
    if (removes) await softDeleteIn(trx, report.message_id, now);
    await recordAudit(
      trx,
      {
        actor,
        action: 'report.resolved',
        targetUserId: message?.user_id ?? null,
        targetMessageId: report.message_id,
        details: { action, reports_closed: closed },
      },
      now,
    );
    return { messageId: report.message_id, deleted: removes };
  });
  if (deleted) announceDeleted(deps, messageId);
  return { open_count: await announceOpenCount(deps) };
}

/** Admins' pages show the open count live. */
async function announceOpenCount(deps: ReportDeps): Promise<number> {
  const openCount = await repo.countOpenMessages(deps.db);
  emit(deps, { kind: 'admins' }, { type: 'reports.changed', open_count: openCount });
  return openCount;
}

function person(id: number, username: string | null, displayName: string | null): PersonRef {
  return { id, username, display_name: shownName(displayName, username) };
}

function toReportedMessage(group: readonly repo.ReportRow[]): ReportedMessage {
  const first = group[0];
  const last = group[group.length - 1];
  if (first === undefined || last === undefined) throw new Error('a reported message without reports');
  return {
    report_id: last.id,
    message_id: first.message_id,
    content: first.content,
    message_deleted: first.deleted_at !== null,
    sender: person(first.sender_id, first.sender_username, first.sender_display_name),
    reporters: group.map((row) => ({
      person: person(row.reporter_id, row.reporter_username, row.reporter_display_name),
      reason: row.reason,
      reported_at: new Date(row.created_at).toISOString(),
    })),
    first_reported_at: new Date(first.created_at).toISOString(),
    resolution: last.resolution,
    resolved_at: last.resolved_at === null ? null : new Date(last.resolved_at).toISOString(),
  };
}
