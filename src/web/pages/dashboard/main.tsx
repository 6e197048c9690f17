import { RefreshCw } from 'lucide';
import type { Me } from '../../../protocol/auth.js';
import { formatClock, greeting, nameOf } from '../../lib/format.js';
import { Icon } from '../../lib/icon.js';
import { mount } from '../../lib/mount.js';
import { SignedInPage } from '../../lib/shell.js';
import { Button, ErrorBox, PageLoading, Spinner } from '../../lib/ui.js';
import { ActivityCharts } from './activity.js';
import { CommunityCards } from './community.js';
import { LeaderboardSection } from './leaderboard.js';
import { PersonalCards } from './personal.js';
import { ProfileSummary } from './profile-summary.js';
import { useDashboardData } from './use-dashboard-data.js';
import { useLivePresence } from './use-live-presence.js';

function DashboardPage({ me }: { me: Me }) {
  const { state, refreshing, refreshError, refresh, retry } = useDashboardData();
  const live = useLivePresence();

  const ready = state.status === 'ready' ? state : null;
  const community = ready?.community.ok ? ready.community.data : null;
  const mine = ready?.mine.ok ? ready.mine.data : null;
  const updatedAt = community?.last_updated ?? ready?.loadedAt;

  return (
    <>
      <div class="page-header">
        <div>
          <p class="eyebrow">Dashboard</p>
          <h1 class="page-title">
            {greeting()}, {nameOf(me)}
          </h1>
          <p class="page-subtitle">Your focus and how the community is doing today.</p>
        </div>
        {ready && (
          <div class="page-header-actions">
            <p class="updated">
              Updated <time dateTime={updatedAt}>{formatClock(updatedAt)}</time>
            </p>
            <Button variant="secondary" disabled={refreshing} aria-busy={refreshing} onClick={() => void refresh()}>
              {refreshing ? <Spinner /> : <Icon icon={RefreshCw} size={16} />}
              <span>Refresh</span>
            </Button>
          </div>
        )}
      </div>
      <div role="alert" class="inline-error">
        {refreshError}
      </div>
      {!ready && <PageLoading label="Loading the figures…" />}

      {ready && (
        <section aria-labelledby="mine-heading" class="section figures">
          <h2 id="mine-heading" class="section-title">
            Your focus
          </h2>
          {ready.mine.ok ? (
            <PersonalCards data={ready.mine.data} />
          ) : (
            <ErrorBox title="Could not load your figures" message={ready.mine.message} onRetry={retry} />
          )}
        </section>
      )}

      {mine && (
        <section aria-labelledby="days-heading" class="section">
          <h2 id="days-heading" class="section-title">
            Your last 30 days
          </h2>
          <ActivityCharts data={mine} />
        </section>
      )}

      {ready && (
        <section aria-labelledby="community-heading" class="section figures">
          <h2 id="community-heading" class="section-title">
            Community
          </h2>
          {community ? (
            <CommunityCards data={community} live={live} />
          ) : (
            !ready.community.ok && (
              <ErrorBox title="Could not load the figures" message={ready.community.message} onRetry={retry} />
            )
          )}
        </section>
      )}
      {ready && <LeaderboardSection meId={me.id} />}
      <ProfileSummary me={me} />
    </>
  );
}

mount(<SignedInPage active="dashboard">{({ me }) => <DashboardPage me={me} />}</SignedInPage>);
