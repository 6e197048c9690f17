import { Activity, CalendarDays, History, Hourglass, MessagesSquare, Radio, Target, UserPlus, Users } from 'lucide';
import type { Dashboard } from '../../../protocol/dashboard.js';
import { formatClock, formatCount } from '../../lib/format.js';
import { formatDuration, formatMinutes } from './format.js';
import { StatCard } from '../../lib/stat-card.js';
import type { PresenceCounts } from './use-live-presence.js';
import './community.css';

interface CommunityCardsProps {
  data: Dashboard;
  /** Live counts from the socket; null while it has none (then the HTTP figures show). */
  live: PresenceCounts | null;
}

/** Everyone's figures: who is here now, today's and this week's activity, members, sessions. */
export function CommunityCards({ data, live }: CommunityCardsProps) {
  // Defensive: an older or partial answer shows dashes, never a crash.
  const { user_stats: users, activity_summary: sessions, community } = data as Partial<Dashboard>;
  const asOf = live ? 'Live' : `As of ${formatClock(data.last_updated)}`;
  const messagesToday = community?.messages_today;
  return (
    <div class="stat-grid stat-grid-compact">
      <StatCard
        compact
        id="online"
        icon={Radio}
        label="Online now"
        value={formatCount(live?.online ?? community?.online_now)}
        caption={<LiveCaption live={live !== null} text={asOf} />}
        tone="green"
      />
      <StatCard
        compact
        id="focusing"
        icon={Target}
        label="Focusing now"
        value={formatCount(live?.focusing ?? community?.focusing_now)}
        caption="Timers running and shared"
        tone="amber"
      />
      <StatCard
        compact
        id="messages-today"
        icon={MessagesSquare}
        label="Messages today"
        value={formatCount(messagesToday)}
        caption={
          messagesToday === 0 ? (
            <>
              Nobody wrote yet today — <a href="/chat">say hello</a>
            </>
          ) : (
            'In the chat since midnight'
          )
        }
        tone="cyan"
      />
      <StatCard
        compact
        id="focus-today"
        icon={Hourglass}
        label="Community focus today"
        value={formatDuration(community?.focus_seconds_today)}
        caption="Everyone, since midnight"
      />
      <StatCard
        compact
        id="focus-week"
        icon={CalendarDays}
        label="Community focus this week"
        value={formatDuration(community?.focus_seconds_week)}
        caption="Everyone, since Monday"
        tone="violet"
      />
      <StatCard
        compact
        id="total"
        icon={Users}
        label="Total users"
        value={formatCount(users?.total_users)}
        caption="Everyone who joined"
      />
      <StatCard
        compact
        id="active"
        icon={Activity}
        label="Active in last 24 h"
        value={formatCount(users?.active_users)}
        caption="Seen in the last day"
        tone="cyan"
      />
      <StatCard
        compact
        id="new"
        icon={UserPlus}
        label="New today"
        value={formatCount(users?.new_users_today)}
        caption="Joined since midnight"
        tone="violet"
      />
      <StatCard
        compact
        id="sessions"
        icon={History}
        label="Focus sessions"
        value={formatCount(sessions?.total_sessions)}
        caption={`Average ${formatMinutes(sessions?.average_session_minutes)} each`}
        tone="green"
      />
    </div>
  );
}

function LiveCaption({ live, text }: { live: boolean; text: string }) {
  return (
    <span class={live ? 'live-caption is-live' : 'live-caption'}>
      <span class="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
