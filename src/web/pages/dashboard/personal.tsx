import { CalendarDays, Flame, MessageSquare, Timer } from 'lucide';
import type { MyDashboard } from '../../../protocol/dashboard.js';
import { formatCount } from '../../lib/format.js';
import { formatDays, formatDuration, formatSessions } from './format.js';
import { StatCard } from '../../lib/stat-card.js';
import './personal.css';

/** The viewer's own figures: focus today and this week, the streak, messages sent. */
export function PersonalCards({ data }: { data: MyDashboard }) {
  // Defensive: an older or partial answer shows dashes, never a crash.
  const focus = (data as Partial<MyDashboard>).focus;
  return (
    <>
      <div class="stat-grid">
        <StatCard
          id="my-today"
          icon={Timer}
          label="Focus today"
          value={formatDuration(focus?.today_seconds)}
          caption="Since midnight"
        />
        <StatCard
          id="my-week"
          icon={CalendarDays}
          label="Focus this week"
          value={formatDuration(focus?.week_seconds)}
          caption="Since Monday"
          tone="violet"
        />
        <StatCard
          id="my-streak"
          icon={Flame}
          label="Current streak"
          value={formatDays(focus?.streak_days)}
          caption={`Longest: ${formatDays(focus?.longest_streak_days)}`}
          tone="amber"
        />
        <StatCard
          id="my-messages"
          icon={MessageSquare}
          label="Messages sent"
          value={formatCount(data.total_messages_sent)}
          caption="In the chat, all time"
          tone="cyan"
        />
      </div>
      {focus && (
        <p class="section-note" data-testid="focus-totals">
          All time: {formatDuration(focus.total_seconds)} of focus in {formatSessions(focus.sessions)}.
        </p>
      )}
    </>
  );
}
