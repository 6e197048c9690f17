import { useCallback, useEffect, useRef } from 'preact/hooks';
import { CHANGE_ID_HEADER, type Task, type TaskList, type TaskPatch } from '../../../protocol/tasks.js';
import { sessionApi, type ExtraHeaders } from '../../lib/api.js';
import { getLive } from '../../lib/live.js';
import { useLoad } from '../../lib/use-load.js';

const listTasks = () => sessionApi.get<TaskList>('/api/tasks');
const addTask = (title: string, headers: ExtraHeaders) => sessionApi.post<Task>('/api/tasks', { title }, headers);
const patchTask = (id: number, patch: TaskPatch, headers: ExtraHeaders) =>
  sessionApi.patch<Task>(`/api/tasks/${id}`, patch, headers);
const deleteTask = (id: number, headers: ExtraHeaders) => sessionApi.delete(`/api/tasks/${id}`, headers);
const orderTasks = (ids: number[], headers: ExtraHeaders) =>
  sessionApi.put<TaskList>('/api/tasks/order', { ids }, headers);

/** This page's changes whose `tasks.updated` has not come back yet (a socket that was down never brings some). */
const MAX_CHANGES_AWAITED = 20;

/**
 * Today's goals as the server keeps them. Read again after each change here (a new order comes
 * whole in its answer), when they change in another tab or device, and on `reload` (the page calls
 * it when a run ends: its time joins its goal's); only the newest read or answer is shown. Each
 * change here sends an id of its own, so the `tasks.updated` it causes is not read again. A change
 * that fails throws (its form shows why); a read that fails after it is `refreshError`.
 */
export function useTasks() {
  const { state, refreshError, retry, reload, save } = useLoad(listTasks);
  const mine = useRef(new Set<string>());
  useEffect(
    () =>
      getLive().on('tasks.updated', ({ change }) => {
        if (change === null || !mine.current.delete(change)) void reload();
      }),
    [reload],
  );
  /** The headers of a change made here, remembered until its `tasks.updated` comes back. */
  const ownChange = useCallback((): ExtraHeaders => {
    const change = crypto.randomUUID();
    const awaited = mine.current;
    awaited.add(change);
    for (const old of awaited) {
      if (awaited.size <= MAX_CHANGES_AWAITED) break;
      awaited.delete(old);
    }
    return { [CHANGE_ID_HEADER]: change };
  }, []);
  /** A change made here, then the goals read again (also when it failed: some of it may be done). */
  const send = useCallback(
    async (change: (headers: ExtraHeaders) => Promise<unknown>) => {
      try {
        await change(ownChange());
      } finally {
        await reload();
      }
    },
    [reload, ownChange],
  );
  const add = useCallback((title: string) => send((headers) => addTask(title, headers)), [send]);
  const change = useCallback(
    (id: number, patch: TaskPatch) => send((headers) => patchTask(id, patch, headers)),
    [send],
  );
  const remove = useCallback((id: number) => send((headers) => deleteTask(id, headers)), [send]);
  const reorder = useCallback((ids: number[]) => save(() => orderTasks(ids, ownChange())), [save, ownChange]);
  return { state, refreshError, retry, reload, add, change, remove, reorder };
}
