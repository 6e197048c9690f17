import { useCallback, useEffect } from 'preact/hooks';
import type { Task, TaskList, TaskPatch } from '../../../protocol/tasks.js';
import { sessionApi } from '../../lib/api.js';
import { getLive } from '../../lib/live.js';
import { useLoad } from '../../lib/use-load.js';

const listTasks = () => sessionApi.get<TaskList>('/api/tasks');
const addTask = (title: string) => sessionApi.post<Task>('/api/tasks', { title });
const patchTask = (id: number, patch: TaskPatch) => sessionApi.patch<Task>(`/api/tasks/${id}`, patch);
const deleteTask = (id: number) => sessionApi.delete(`/api/tasks/${id}`);
const orderTasks = (ids: number[]) => sessionApi.put<TaskList>('/api/tasks/order', { ids });

/**
 * Today's goals as the server keeps them. Read again after each change here (a new order comes
 * whole in its answer), when they change in another tab or device, and on `reload` (the page calls
 * it when a run ends: its time joins its goal's); only the newest read or answer is shown. A change
 * that fails throws (its form shows why); a read that fails after it is `refreshError`.
 */
export function useTasks() {
  const { state, refreshError, retry, reload, save } = useLoad(listTasks);
  useEffect(() => getLive().on('tasks.updated', () => void reload()), [reload]);
  const add = useCallback(
    async (title: string) => {
      await addTask(title);
      await reload();
    },
    [reload],
  );
  const change = useCallback(
    async (id: number, patch: TaskPatch) => {
      await patchTask(id, patch);
      await reload();
    },
    [reload],
  );
  const remove = useCallback(
    async (id: number) => {
      await deleteTask(id);
      await reload();
    },
    [reload],
  );
  const reorder = useCallback((ids: number[]) => save(() => orderTasks(ids)), [save]);
  return { state, refreshError, retry, reload, add, change, remove, reorder };
}
