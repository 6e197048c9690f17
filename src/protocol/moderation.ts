import { Type, type Static } from '@sinclair/typebox';
import { Nullable, RowId, Timestamp } from './schema.js';

/** Slow mode: at most one message per this many seconds for members; 0 is off. */
export const SLOW_MODE_MAX_SECONDS = 3600;
/** A timeout lasts 1 minute to 7 days; 0 lifts it. */
export const TIMEOUT_MAX_MINUTES = 10_080;
export const REPORT_REASON_MAX_LENGTH = 500;

export const ChatSettingsSchema = Type.Object(
  {
    slow_mode_seconds: Type.Integer({
      minimum: 0,
      maximum: SLOW_MODE_MAX_SECONDS,
      errorMessage: `Must be 0 (off) to ${SLOW_MODE_MAX_SECONDS} seconds`,
    }),
  },
  { additionalProperties: false },
);
export type ChatSettings = Static<typeof ChatSettingsSchema>;

/** What the chat lets this person do now; in `hello`, so the page shows it from the server's rules. */
export const PostingStateSchema = Type.Object({
  slow_mode_seconds: Type.Integer(),
  /** Until when they may read but not post, edit or react; null when not timed out. */
  timed_out_until: Nullable(Type.String({ format: 'date-time' })),
  /** Slow mode: when they may post again; null when they may post now (or are exempt). */
  next_post_at: Nullable(Type.String({ format: 'date-time' })),
  /** Admins are not held by slow mode. */
  slow_mode_exempt: Type.Boolean(),
});
export type PostingState = Static<typeof PostingStateSchema>;

export const TimeoutBodySchema = Type.Object(
  {
    minutes: Type.Integer({
      minimum: 0,
      maximum: TIMEOUT_MAX_MINUTES,
      errorMessage: `Must be 1–${TIMEOUT_MAX_MINUTES} minutes, or 0 to lift the timeout`,
    }),
  },
  { additionalProperties: false },
);

export const ReportBodySchema = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: REPORT_REASON_MAX_LENGTH,
      pattern: '\\S',
      errorMessage: `Must be 1–${REPORT_REASON_MAX_LENGTH} characters and not blank`,
    }),
  },
  { additionalProperties: false },
);

export const ReportCreatedSchema = Type.Object({
  id: Type.Integer(),
  message_id: Type.Integer(),
  created_at: Timestamp,
});
export type ReportCreated = Static<typeof ReportCreatedSchema>;

export const PersonRefSchema = Type.Object({
  id: Type.Integer(),
  username: Nullable(Type.String()),
  display_name: Type.String(),
});
export type PersonRef = Static<typeof PersonRefSchema>;

export const ReportResolutionSchema = Type.Union([Type.Literal('dismiss'), Type.Literal('delete')]);
export type ReportResolution = Static<typeof ReportResolutionSchema>;

/** One reported message with everyone who reported it (open reports, or those resolved together). */
export const ReportedMessageSchema = Type.Object({
  /** The report to resolve: resolving it closes every open report of the message. */
  report_id: Type.Integer(),
  message_id: Type.Integer(),
  content: Type.String(),
  message_deleted: Type.Boolean(),
  sender: PersonRefSchema,
  reporters: Type.Array(Type.Object({ person: PersonRefSchema, reason: Type.String(), reported_at: Timestamp })),
  first_reported_at: Timestamp,
  resolution: Type.Union([ReportResolutionSchema, Type.Null()]),
  resolved_at: Nullable(Type.String({ format: 'date-time' })),
});
export type ReportedMessage = Static<typeof ReportedMessageSchema>;

export const ReportListQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ReportListQuery = Static<typeof ReportListQuerySchema>;

export const ReportCountSchema = Type.Object({ open_count: Type.Integer() });
export type ReportCount = Static<typeof ReportCountSchema>;

/** Reported messages, most recently reported first; `open_count` counts every message with an open report. */
export const ReportListSchema = Type.Object({ reports: Type.Array(ReportedMessageSchema), open_count: Type.Integer() });
export type ReportList = Static<typeof ReportListSchema>;

export const ResolveReportBodySchema = Type.Object({ action: ReportResolutionSchema }, { additionalProperties: false });
export const ReportParamsSchema = Type.Object({ id: RowId });

export const AuditActionSchema = Type.Union([
  Type.Literal('account.changed'),
  Type.Literal('account.timed_out'),
  Type.Literal('message.deleted'),
  Type.Literal('report.resolved'),
  Type.Literal('slow_mode.changed'),
]);
export type AuditAction = Static<typeof AuditActionSchema>;

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  /** `cli` for `npm run users`, else the admin (null once their account is gone). */
  actor_kind: Type.Union([Type.Literal('admin'), Type.Literal('cli')]),
  actor: Type.Union([PersonRefSchema, Type.Null()]),
  action: AuditActionSchema,
  target_user: Type.Union([PersonRefSchema, Type.Null()]),
  target_message_id: Nullable(Type.Integer()),
  /** What changed, e.g. `{role: {from: "user", to: "admin"}}`. */
  details: Type.Record(Type.String(), Type.Unknown()),
  /** The request's address; null from the shell. */
  address: Nullable(Type.String()),
  created_at: Timestamp,
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const AuditQuerySchema = Type.Object(
  {
    before: Type.Optional(RowId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuerySchema>;

/** Newest first; `next_before` is the cursor of the next (older) page, null at the end. */
export const AuditListSchema = Type.Object({
  entries: Type.Array(AuditEntrySchema),
  next_before: Nullable(Type.Integer()),
});
export type AuditList = Static<typeof AuditListSchema>;
