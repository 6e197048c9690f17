import { useEffect, useState } from 'preact/hooks';
import {
  LEADERBOARD_REFRESH_MS,
  LEADERBOARD_REFRESH_SPREAD_MS,
  type Leaderboard,
  type LeaderboardQuery,
} from '../../../protocol/leaderboard.js';
import { sessionApi } from '../../lib/api.js';
import { getLive } from '../../lib/live.js';
import { useLoad } from '../../lib/use-load.js';
import { ErrorBox, PageLoading } from '../../lib/ui.js';
import { formatDuration } from './format.js';
import './leaderboard.css';

type Week = NonNullable<LeaderboardQuery['week']>;

const getLeaderboard = (week: Week) => sessionApi.get<Leaderboard>(`/api/leaderboard?week=${week}`);

/** The opt-in weekly leaderboard: this or last week, each person's own Monday-to-Sunday week. */
export function LeaderboardSection({ meId }: { meId: number }) {
  const [week, setWeek] = useState<Week>('current');
  return (
    <section aria-labelledby="leaderboard-heading" class="section">
      <div class="section-head">
        <h2 id="leaderboard-heading" class="section-title">
          Weekly leaderboard
        </h2>
        <div class="segmented" role="group" aria-label="Week">
          {(['current', 'previous'] as const).map((w) => (
            <button key={w} type="button" class="segment-button" aria-pressed={week === w} onClick={() => setWeek(w)}>
              {w === 'current' ? 'This week' : 'Last week'}
            </button>
          ))}
        </div>
      </div>
      <LeaderboardTable key={week} week={week} meId={meId} />
    </section>
  );
}

function LeaderboardTable({ week, meId }: { week: Week; meId: number }) {
  const { state, retry, reload } = useLoad(() => getLeaderboard(week));
  useLiveBoard(reload);
  if (state.status === 'loading') return <PageLoading label="Loading the leaderboard…" />;
  if (state.status === 'error')
    return <ErrorBox title="Could not load the leaderboard" message={state.message} onRetry={retry} />;
  const board = state.data;
  const mineListed = board.entries.some((entry) => entry.user.id === meId);
  return (
    <div class="glass-card leaderboard-card">
      <p class="field-hint">
        Focus recorded from Monday, {board.week_start}, in each person’s own time zone; only people who opted in are
        listed.{' '}
        {board.me === null && (
          <>
            You are not on it: turn it on in <a href="/settings">Settings</a>.
          </>
        )}
      </p>
      {board.entries.length === 0 ? (
        <p class="empty-note">Nobody has focus on the board for this week yet.</p>
      ) : (
        // Scrolls sideways on a narrow screen: focusable, so a keyboard can scroll it too.
        <div class="leaderboard-scroll" tabIndex={0} role="region" aria-label="Leaderboard table">
          <table class="leaderboard-table">
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Person</th>
                <th scope="col">Focus</th>
                <th scope="col">Streak</th>
              </tr>
            </thead>
            <tbody>
              {board.entries.map((entry) => (
                <tr key={entry.user.id} class={entry.user.id === meId ? 'is-me' : undefined}>
                  <td>{entry.rank}</td>
                  <td>{entry.user.display_name}</td>
                  <td>{formatDuration(entry.focus_seconds)}</td>
                  <td>{entry.streak_days} d</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {board.me !== null && !mineListed && (
        <p class="leaderboard-me">
          You: {board.me.rank === null ? 'no focus recorded yet this week' : `rank ${board.me.rank}`},{' '}
          {formatDuration(board.me.focus_seconds)}
        </p>
      )}
    </div>
  );
}

/**
 * Reads the board again when the server says it changed: at most every `LEADERBOARD_REFRESH_MS`,
 * at a random moment of the next few seconds, and keeping the table shown meanwhile.
 */
function useLiveBoard(reload: () => Promise<void>) {
  useEffect(() => {
    let lastRead = Date.now();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      pending = undefined;
      lastRead = Date.now();
      void reload(); // quiet: a failed read keeps the table and waits for the next change
    };
    const off = getLive().on('leaderboard.changed', () => {
      if (pending !== undefined) return;
      const wait = Math.max(0, lastRead + LEADERBOARD_REFRESH_MS - Date.now());
      pending = setTimeout(read, wait + Math.random() * LEADERBOARD_REFRESH_SPREAD_MS);
    });
    return () => {
      off();
      clearTimeout(pending);
    };
  }, [reload]);
}
