import { Type, type Static } from '@sinclair/typebox';
import { LABEL_MAX_LENGTH, TARGET_MAX_MINUTES } from './limits.js';
import { Nullable, RowId, Timestamp } from './schema.js';

export const TimerStateSchema = Type.Object({
  state: Type.Union([Type.Literal('idle'), Type.Literal('running'), Type.Literal('paused')]),
  /** Finished runs since the last reset plus the current run, at `server_time`. */
  elapsed_ms: Type.Integer(),
  run_started_at: Nullable(Type.String({ format: 'date-time' })),
  label: Type.String(),
  target_ms: Nullable(Type.Integer()),
  /** Why the last run ended by itself ('target': the interval is done; 'max': MAX_RUN_HOURS). */
  ended_by: Type.Union([Type.Literal('target'), Type.Literal('max'), Type.Null()]),
  server_time: Timestamp,
  /** Rises with every change: a client keeps the state with the highest version it has seen. */
  version: Type.Integer(),
});
export type TimerState = Static<typeof TimerStateSchema>;

export const Label = Type.String({
  maxLength: LABEL_MAX_LENGTH,
  errorMessage: `Must be at most ${LABEL_MAX_LENGTH} characters`,
});

export const StartTimerBodySchema = Type.Object(
  {
    label: Type.Optional(Label),
    target_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: TARGET_MAX_MINUTES })),
    /** Post a check-in to the chat now, and another when this run ends (rate-limited like messages). */
    announce: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type StartTimerBody = Static<typeof StartTimerBodySchema>;

export const LegacyTimerSchema = Type.Object({ elapsed_time: Type.Integer(), is_running: Type.Boolean() });

export const FocusSessionSchema = Type.Object({
  id: Type.Integer(),
  started_at: Timestamp,
  ended_at: Timestamp,
  duration_ms: Type.Integer(),
  label: Type.String(),
});
export type FocusSession = Static<typeof FocusSessionSchema>;

export const SessionsQuerySchema = Type.Object(
  {
    from: Type.Optional(
      Type.String({ format: 'date-time', errorMessage: 'Must be an ISO 8601 time, e.g. 2026-11-01T00:00:00Z' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', errorMessage: 'Must be an ISO 8601 time, e.g. 2026-11-30T00:00:00Z' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type SessionsQuery = Static<typeof SessionsQuerySchema>;

export const SessionPatchSchema = Type.Object({ label: Label }, { additionalProperties: false });
export const SessionIdParamsSchema = Type.Object({ id: RowId });
