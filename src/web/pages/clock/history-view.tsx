import { Download } from 'lucide';
import { useCallback, useRef } from 'preact/hooks';
import { Icon } from '../../lib/icon.js';
import { SESSIONS_CSV_URL } from '../../lib/timer-api.js';
import { formatDuration } from '../../lib/timer-format.js';
import { ErrorBox, PageLoading } from '../../lib/ui.js';
import { dayLabel, groupByDay, HISTORY_DAYS, todaysFocus, type Sessions } from './history.js';
import { SessionRow } from './session-row.js';
import './history-view.css';

interface TodayCardProps {
  state: Sessions;
  now: number;
  running: { startedAt: number; ms: number } | null;
}

/** Today's focus in the viewer's local day, the run in progress included. */
export function TodayCard({ state, now, running }: TodayCardProps) {
  const sessions = state.status === 'ready' ? state.data : [];
  const today = todaysFocus(sessions, now, running);
  let caption: string;
  if (state.status === 'loading') caption = 'Loading today’s sessions…';
  else if (state.status === 'error') caption = 'Today’s recorded sessions could not be loaded.';
  else if (today.count === 0) caption = running ? 'Your first run today is going.' : 'No focus recorded yet today.';
  else
    caption = `${today.count} ${today.count === 1 ? 'session' : 'sessions'}${running ? ' and the run in progress' : ''}`;
  return (
    <section class="glass-card today-card" aria-labelledby="today-heading">
      <h2 id="today-heading" class="today-title">
        Today’s focus
      </h2>
      <p class="today-value" data-testid="today-total">
        {state.status === 'ready' || running ? formatDuration(today.totalMs) : '–'}
      </p>
      <p class="today-caption">{caption}</p>
    </section>
  );
}

interface HistoryCardProps {
  state: Sessions;
  refreshError: string | null;
  now: number;
  onRetry: () => void;
  onRelabel: (id: number, label: string) => Promise<void>;
  onDelete: (id: number) => Promise<void>;
}

/** The last seven days of runs, grouped by day, with rename, delete and the CSV download. */
export function HistoryCard({ state, refreshError, now, onRetry, onRelabel, onDelete }: HistoryCardProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const deleteAndRefocus = useCallback(
    async (id: number) => {
      await onDelete(id);
      // The row and its buttons are gone: keep keyboard users in the history.
      heading.current?.focus();
    },
    [onDelete],
  );

  return (
    <section class="glass-card history-card" aria-labelledby="history-heading">
      <div class="history-head">
        <h2 id="history-heading" ref={heading} tabIndex={-1} class="card-title">
          Last {HISTORY_DAYS} days
        </h2>
        <a class="btn btn-secondary btn-small" href={SESSIONS_CSV_URL} download>
          <Icon icon={Download} size={16} />
          <span>Download CSV</span>
        </a>
      </div>
      <div class="inline-error" role="alert">
        {refreshError}
      </div>
      {state.status === 'loading' && <PageLoading label="Loading your sessions…" />}
      {state.status === 'error' && (
        <ErrorBox title="Could not load your sessions" message={state.message} onRetry={onRetry} />
      )}
      {state.status === 'ready' && state.data.length === 0 && (
        <p class="history-empty">
          No focus sessions in the last {HISTORY_DAYS} days yet. Start the clock: each run you pause or finish shows up
          here.
        </p>
      )}
      {state.status === 'ready' &&
        groupByDay(state.data).map((group) => {
          const id = `day-${group.key}`;
          return (
            <section key={group.key} class="history-day" aria-labelledby={id}>
              <h3 id={id} class="history-day-title">
                <span>{dayLabel(group.day, now)}</span>
                <span class="history-day-total">{formatDuration(group.totalMs)}</span>
              </h3>
              <ul class="session-list divided-list">
                {group.sessions.map((session) => (
                  <SessionRow key={session.id} session={session} onRelabel={onRelabel} onDelete={deleteAndRefocus} />
                ))}
              </ul>
            </section>
          );
        })}
    </section>
  );
}
