import { ArrowDown, ArrowUp, Pencil, Play, Trash2 } from 'lucide';
import { useState } from 'preact/hooks';
import type { Task } from '../../../protocol/tasks.js';
import { readAnnounce } from '../../lib/announce.js';
import { errorMessage } from '../../lib/api.js';
import { inputValue } from '../../lib/forms.js';
import { formatDuration } from '../../lib/timer-format.js';
import { Button, ErrorBox, FormMessage, IconButton, PageLoading } from '../../lib/ui.js';
import type { useTasks } from './tasks.js';
import './tasks-card.css';

type Tasks = ReturnType<typeof useTasks>;

interface TasksCardProps {
  tasks: Tasks;
  /** Starts the timer with this goal as the label. */
  onStart: (title: string) => void;
}

/** Today's goals: add, rename, tick (with a check-in when "Announce in chat" is on), reorder, delete, start from one. */
export function TasksCard({ tasks, onStart }: TasksCardProps) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError(null);
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    }
  };

  const state = tasks.state;
  const list = state.status === 'ready' ? state.data.tasks : [];
  const open = list.filter((task) => !task.done);
  const move = (index: number, by: -1 | 1) => {
    const ids = open.map((task) => task.id);
    const [id] = ids.splice(index, 1);
    if (id === undefined) return;
    ids.splice(index + by, 0, id);
    void run(() => tasks.reorder(ids));
  };

  return (
    <section class="glass-card tasks-card" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading" class="card-title">
        Today’s goals
      </h2>
      {state.status === 'loading' && <PageLoading label="Loading your goals…" />}
      {state.status === 'error' && (
        <ErrorBox title="Could not load your goals" message={state.message} onRetry={tasks.retry} />
      )}
      {state.status === 'ready' && (
        <>
          <form
            class="task-add"
            onSubmit={(event) => {
              event.preventDefault();
              const sent = draft;
              const title = sent.trim();
              if (title === '') return;
              // Cleared only if unchanged: the next goal may be typed while this one is added.
              void run(() => tasks.add(title)).then((ok) => ok && setDraft((now) => (now === sent ? '' : now)));
            }}
          >
            <label class="field-label" for="task-new">
              New goal
            </label>
            <div class="task-add-row">
              <input
                id="task-new"
                class="input"
                value={draft}
                maxLength={80}
                aria-describedby="task-new-hint"
                onInput={(event) => setDraft(inputValue(event))}
              />
              <Button variant="primary" size="small" type="submit">
                Add
              </Button>
            </div>
            <p id="task-new-hint" class="field-hint">
              {open.length} of {state.data.max_open} open. Start the timer from a goal to focus on it.
            </p>
          </form>
          <FormMessage error={error ?? tasks.refreshError} />
          {list.length === 0 ? (
            <p class="empty-note">No goals yet today.</p>
          ) : (
            <ul class="task-list" aria-label="Goals">
              {list.map((task) => (
                <TaskRow
                  key={task.id}
                  task={task}
                  index={open.indexOf(task)}
                  openCount={open.length}
                  run={run}
                  tasks={tasks}
                  onStart={onStart}
                  move={move}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

interface TaskRowProps {
  task: Task;
  /** Place among the open goals; -1 for a ticked one. */
  index: number;
  openCount: number;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  tasks: Tasks;
  onStart: (title: string) => void;
  move: (index: number, by: -1 | 1) => void;
}

function TaskRow({ task, index, openCount, run, tasks, onStart, move }: TaskRowProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const checkId = `task-done-${task.id}`;
  if (editing !== null) {
    return (
      <li class="task-row">
        <form
          class="task-edit"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => tasks.change(task.id, { title: editing.trim() })).then((ok) => ok && setEditing(null));
          }}
        >
          <label class="visually-hidden" for={`task-title-${task.id}`}>
            Rename “{task.title}”
          </label>
          <input
            id={`task-title-${task.id}`}
            class="input"
            value={editing}
            maxLength={80}
            onInput={(event) => setEditing(inputValue(event))}
          />
          <Button variant="primary" size="small" type="submit">
            Save
          </Button>
          <Button variant="ghost" size="small" onClick={() => setEditing(null)}>
            Cancel
          </Button>
        </form>
      </li>
    );
  }
  return (
    <li class={task.done ? 'task-row is-done' : 'task-row'}>
      <input
        id={checkId}
        type="checkbox"
        checked={task.done}
        onChange={(event) => {
          const done = event.currentTarget.checked;
          void run(() => tasks.change(task.id, done ? { done, announce: readAnnounce() } : { done }));
        }}
      />
      <label for={checkId} class="task-title">
        {task.title}
      </label>
      {task.focus_seconds > 0 && (
        <span class="task-focus" aria-label={`Focused ${formatDuration(task.focus_seconds * 1000)}`}>
          {formatDuration(task.focus_seconds * 1000)}
        </span>
      )}
      <span class="task-actions">
        {!task.done && (
          <>
            <IconButton
              icon={Play}
              label={`Start the timer on “${task.title}”`}
              title="Start the timer on this goal"
              onClick={() => onStart(task.title)}
            />
            <IconButton
              icon={ArrowUp}
              label={`Move “${task.title}” up`}
              disabled={index <= 0}
              onClick={() => move(index, -1)}
            />
            <IconButton
              icon={ArrowDown}
              label={`Move “${task.title}” down`}
              disabled={index >= openCount - 1}
              onClick={() => move(index, 1)}
            />
            <IconButton icon={Pencil} label={`Rename “${task.title}”`} onClick={() => setEditing(task.title)} />
          </>
        )}
        <IconButton
          icon={Trash2}
          label={`Delete “${task.title}”`}
          onClick={() => void run(() => tasks.remove(task.id))}
        />
      </span>
    </li>
  );
}
