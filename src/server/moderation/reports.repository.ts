import type { Kysely } from 'kysely';
import type { Database, ReportResolution } from '../db/schema.js';

type Db = Kysely<Database>;

export function findMessageAuthor(db: Db, messageId: number) {
  return db.selectFrom('messages').select(['user_id', 'deleted_at']).where('id', '=', messageId).executeTakeFirst();
}

export function insertReport(db: Db, messageId: number, reporterId: number, reason: string, now: number) {
  return db
    .insertInto('message_reports')
    .values({ message_id: messageId, reporter_id: reporterId, reason, created_at: now })
    .returning(['id', 'message_id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** How many messages have at least one open report. */
export async function countOpenMessages(db: Db): Promise<number> {
  const row = await db
    .selectFrom('message_reports')
    .select((eb) => eb.fn.count<number | string>('message_id').distinct().as('n'))
    .where('resolved_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findReport(db: Db, id: number) {
  return db.selectFrom('message_reports').select(['message_id', 'resolved_at']).where('id', '=', id).executeTakeFirst();
}

/** Closes every open report of the message; returns how many it closed. */
export async function resolveOpenReports(
  db: Db,
  messageId: number,
  by: number | null,
  resolution: ReportResolution,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('message_reports')
    .set({ resolved_at: now, resolved_by: by, resolution })
    .where('message_id', '=', messageId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The most recently reported messages of this status, at most `limit` of them. */
export function findReportedMessageIds(db: Db, open: boolean, limit: number) {
  return db
    .selectFrom('message_reports')
    .select((eb) => ['message_id', eb.fn.max<number>('id').as('latest')])
    .where('resolved_at', open ? 'is' : 'is not', null)
    .groupBy('message_id')
    .orderBy('latest', 'desc')
    .limit(limit)
    .execute();
}

/** The reports of these messages (of this status), with the reporter, the message and its sender. */
export function findReportsOf(db: Db, messageIds: readonly number[], open: boolean) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('message_reports')
    .innerJoin('users as reporter', 'reporter.id', 'message_reports.reporter_id')
    .innerJoin('messages', 'messages.id', 'message_reports.message_id')
    .innerJoin('users as sender', 'sender.id', 'messages.user_id')
    .select([
      'message_reports.id',
      'message_reports.message_id',
      'message_reports.reason',
      'message_reports.created_at',
      'message_reports.resolved_at',
      'message_reports.resolution',
      'reporter.id as reporter_id',
      'reporter.username as reporter_username',
      'reporter.display_name as reporter_display_name',
      'messages.content',
      'messages.deleted_at',
      'sender.id as sender_id',
      'sender.username as sender_username',
      'sender.display_name as sender_display_name',
    ])
    .where('message_reports.message_id', 'in', messageIds)
    .where('message_reports.resolved_at', open ? 'is' : 'is not', null)
    .orderBy('message_reports.id', 'asc')
    .execute();
}

export type ReportRow = Awaited<ReturnType<typeof findReportsOf>>[number];
