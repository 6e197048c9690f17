import { Type, type Static } from '@sinclair/typebox';
import { Label } from './timer.js';
import { RowId, Timestamp } from './schema.js';

/** The bounds of a group sprint, checked by the server and offered by the pages. */
export const SPRINT_FOCUS_MINUTES = { min: 5, max: 180, default: 25 } as const;
export const SPRINT_BREAK_MINUTES = { min: 0, max: 60, default: 5 } as const;
/** A sprint may be set to start at most this far ahead. */
export const SPRINT_MAX_LEAD_MS = 24 * 3_600_000;
/** People in one sprint at once. */
export const SPRINT_MAX_PARTICIPANTS = 50;
/** Sprints one list answers with. */
export const SPRINT_LIST_LIMIT = 50;

export const SprintStateSchema = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('running'),
  Type.Literal('break'),
  Type.Literal('ended'),
  Type.Literal('cancelled'),
]);
export type SprintState = Static<typeof SprintStateSchema>;

const SprintPersonSchema = Type.Object({
  id: Type.Integer(),
  username: Type.Union([Type.String(), Type.Null()]),
  display_name: Type.String(),
});

export const SprintSchema = Type.Object({
  id: Type.Integer(),
  creator: SprintPersonSchema,
  label: Type.String(),
  focus_ms: Type.Integer(),
  break_ms: Type.Integer(),
  starts_at: Timestamp,
  /** The end of the focus block; the break lasts `break_ms` after it. */
  ends_at: Timestamp,
  state: SprintStateSchema,
  /** Who is in now (people who left are not listed; their focus still counts in the total). */
  participants: Type.Array(Type.Composite([SprintPersonSchema, Type.Object({ joined_at: Timestamp })])),
  /** Everyone's recorded focus inside the sprint; final once it is over. */
  total_focus_ms: Type.Integer(),
  /** Its card in the chat. */
  message_id: Type.Union([Type.Integer(), Type.Null()]),
  /** The server's clock when this was written: countdowns are anchored to it. */
  server_time: Timestamp,
});
export type Sprint = Static<typeof SprintSchema>;

export const CreateSprintBodySchema = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: Label.maxLength, errorMessage: 'Must be 1 to 80 characters' }),
    focus_minutes: Type.Integer({ minimum: SPRINT_FOCUS_MINUTES.min, maximum: SPRINT_FOCUS_MINUTES.max }),
    break_minutes: Type.Integer({ minimum: SPRINT_BREAK_MINUTES.min, maximum: SPRINT_BREAK_MINUTES.max }),
    starts: Type.Union([Type.Literal('now'), Type.Literal('next_quarter_hour'), Timestamp]),
  },
  { additionalProperties: false },
);
export type CreateSprintBody = Static<typeof CreateSprintBodySchema>;

export const SprintListQuerySchema = Type.Object(
  {
    state: Type.Optional(Type.Literal('open')),
    message_id: Type.Optional(RowId),
  },
  { additionalProperties: false },
);
export type SprintListQuery = Static<typeof SprintListQuerySchema>;

export const SprintIdParamsSchema = Type.Object({ id: RowId });
