import {
  DONE_SHOWN_HOURS,
  MAX_OPEN_TASKS,
  type NewTaskBody,
  type Task,
  type TaskList,
  type TaskOrderBody,
  type TaskPatch,
} from '../../protocol/tasks.js';
import type { AppContext } from '../context.js';
import type { TaskRow } from '../db/schema.js';
import { httpError, notFound } from '../http/errors.js';
import { claimCheckin, postFinished } from '../timer/checkins.js';
import { emit } from '../realtime/emit.js';
import * as repo from './tasks.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'bus' | 'actionLimits'>;

const tooManyTasks = () =>
  httpError('too_many_tasks', `You can have at most ${MAX_OPEN_TASKS} open goals: tick or delete some first`);

/** Open goals in the person's order, then the ones ticked in the last day; each with its focus. */
export async function listTasks(deps: Deps, userId: number): Promise<TaskList> {
  const since = deps.clock.now() - DONE_SHOWN_HOURS * 3_600_000;
  const rows = await repo.listTasks(deps.db, userId, since, MAX_OPEN_TASKS);
  const focus = await repo.focusOfTasks(deps.db, userId, rows);
  return { tasks: rows.map((row, i) => toTask(row, focus[i] ?? 0)), max_open: MAX_OPEN_TASKS };
}

export async function addTask(deps: Deps, userId: number, body: NewTaskBody, change: ChangeId = null): Promise<Task> {
  const row = await deps.db.transaction().execute(async (trx) => {
    await repo.lockList(trx, userId);
    if ((await repo.countOpen(trx, userId)) >= MAX_OPEN_TASKS) throw tooManyTasks();
    return repo.insertTask(trx, userId, body.title.trim(), deps.clock.now());
  });
  changed(deps, userId, change);
  return toTask(row, 0);
}

/**
 * Renames, ticks or unticks one of the person's goals (someone else's is "not found"). Ticking
 * with `announce` posts a check-in, refused whole (429/403) when they may not post now.
 */
export async function changeTask(
  deps: Deps,
  userId: number,
  id: number,
  patch: TaskPatch,
  change: ChangeId = null,
): Promise<Task> {
  const current = await repo.findTask(deps.db, userId, id);
  if (current === undefined) throw notFound('Goal');
  const ticks = patch.done === true && current.done_at === null;
  if (ticks && patch.announce === true) await claimCheckin(deps, userId);
  const row = await deps.db.transaction().execute(async (trx) => {
    await repo.lockList(trx, userId);
    const reopens = patch.done === false && current.done_at !== null;
    if (reopens && (await repo.countOpen(trx, userId)) >= MAX_OPEN_TASKS) throw tooManyTasks();
    const changes: { title?: string; done_at?: number | null } = {};
    if (patch.title !== undefined) changes.title = patch.title.trim();
    if (ticks) changes.done_at = deps.clock.now();
    if (reopens) changes.done_at = null;
    if (Object.keys(changes).length === 0) return current;
    return repo.updateTask(trx, userId, id, changes);
  });
  if (row === undefined) throw notFound('Goal');
  changed(deps, userId, change);
  if (ticks && patch.announce === true) await postFinished(deps, userId, row.title, null);
  const [focus] = await repo.focusOfTasks(deps.db, userId, [row]);
  return toTask(row, focus ?? 0);
}

export async function deleteTask(deps: Deps, userId: number, id: number, change: ChangeId = null): Promise<void> {
  if (!(await repo.deleteTask(deps.db, userId, id))) throw notFound('Goal');
  changed(deps, userId, change);
}

/** The page's id for a change (`CHANGE_ID_HEADER`), or null. */
type ChangeId = string | null;

/** The person's other tabs and devices read their goals again (the one that sent `change` has them). */
function changed(deps: Deps, userId: number, change: ChangeId): void {
  emit(deps, { kind: 'user', userId }, { type: 'tasks.updated', change });
}

/** A new order of the open goals: exactly the ids of all of them, each once. */
export async function reorderTasks(
  deps: Deps,
  userId: number,
  body: TaskOrderBody,
  change: ChangeId = null,
): Promise<TaskList> {
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockList(trx, userId);
    const open = new Set(await repo.openIds(trx, userId));
    if (body.ids.length !== open.size || body.ids.some((id) => !open.has(id))) {
      throw httpError('bad_order', 'The order must list each of your open goals once, and nothing else');
    }
    for (const [i, id] of body.ids.entries()) await repo.setPosition(trx, userId, id, i + 1);
  });
  changed(deps, userId, change);
  return listTasks(deps, userId);
}

function toTask(row: TaskRow, focusMs: number): Task {
  return {
    id: row.id,
    title: row.title,
    done: row.done_at !== null,
    done_at: row.done_at === null ? null : new Date(row.done_at).toISOString(),
    focus_seconds: Math.round(focusMs / 1000),
    created_at: new Date(row.created_at).toISOString(),
  };
}
