import { Type, type Static } from '@sinclair/typebox';
import { Nullable, RowId, Timestamp } from './schema.js';

/** How many open goals a person may have; ticked ones do not count. */
export const MAX_OPEN_TASKS = 50;
/** Ticked goals stay listed this long after ticking, so today's list shows what got done. */
export const DONE_SHOWN_HOURS = 24;

/** A goal's title becomes the timer's label, so it follows the label's rule (at most 80). */
export const TaskTitle = Type.String({
  minLength: 1,
  maxLength: 80,
  pattern: '\\S',
  errorMessage: 'Must be 1–80 characters and not blank',
});

export const TaskSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  done: Type.Boolean(),
  done_at: Nullable(Type.String({ format: 'date-time' })),
  /** Recorded runs labelled with this title since the goal was added. */
  focus_seconds: Type.Integer(),
  created_at: Timestamp,
});
export type Task = Static<typeof TaskSchema>;

/** Open goals in the person's order, then those ticked in the last `DONE_SHOWN_HOURS`, latest first. */
export const TaskListSchema = Type.Object({ tasks: Type.Array(TaskSchema), max_open: Type.Integer() });
export type TaskList = Static<typeof TaskListSchema>;

export const NewTaskBodySchema = Type.Object({ title: TaskTitle }, { additionalProperties: false });
export type NewTaskBody = Static<typeof NewTaskBodySchema>;

export const TaskPatchSchema = Type.Object(
  {
    title: Type.Optional(TaskTitle),
    done: Type.Optional(Type.Boolean()),
    /** With `done: true`: post "✅ Ana finished *title*" to the chat as a check-in. */
    announce: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TaskPatch = Static<typeof TaskPatchSchema>;

/** Every open goal's id, once each, in the new order. */
export const TaskOrderBodySchema = Type.Object(
  { ids: Type.Array(RowId, { maxItems: MAX_OPEN_TASKS, uniqueItems: true }) },
  { additionalProperties: false },
);
export type TaskOrderBody = Static<typeof TaskOrderBodySchema>;

/**
 * A page sends this header, an id of its own choosing, with each change of the goals; the
 * `tasks.updated` the change causes carries it back (`change`), so the page that made it knows
 * it has it already and only the person's other tabs and devices read the goals again.
 */
export const CHANGE_ID_HEADER = 'x-change-id';
export const ChangeHeadersSchema = Type.Object({
  [CHANGE_ID_HEADER]: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', errorMessage: 'Must be 1–64 letters, digits or dashes' }),
  ),
});

export const TaskIdParamsSchema = Type.Object({ id: RowId });
