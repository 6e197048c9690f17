import { Activity, Globe, RefreshCw, UserPlus, Users, type IconNode } from 'lucide';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Me } from '../../../protocol/auth.js';
import type { Dashboard } from '../../../protocol/dashboard.js';
import { errorMessage } from '../../lib/api.js';
import { getDashboard } from '../../lib/endpoints.js';
import { formatClock, formatCount, formatDate, greeting, nameOf } from '../../lib/format.js';
import { Icon } from '../../lib/icon.js';
import { mount } from '../../lib/mount.js';
import { Avatar, SignedInPage } from '../../lib/shell.js';
import { ErrorBox, PageLoading, Spinner } from '../../lib/ui.js';
import { useLoad } from '../../lib/use-load.js';

const REFRESH_MS = 60_000;

function DashboardPage({ me }: { me: Me }) {
  const { state, retry, setData } = useLoad(getDashboard);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    try {
      setData(await getDashboard());
      setRefreshError(null);
    } catch (error) {
      setRefreshError(`Could not refresh: ${errorMessage(error)}`);
    } finally {
      setRefreshing(false);
    }
  }, [setData]);

  // Figures stay fresh while the tab is in view.
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const data = state.status === 'ready' ? state.data : null;
  return (
    <>
      <div class="page-header">
        <div>
          <p class="eyebrow">Dashboard</p>
          <h1 class="page-title">
            {greeting()}, {nameOf(me)}
          </h1>
          <p class="page-subtitle">Here is how the community is doing today.</p>
        </div>
        {data && (
          <div class="page-header-actions">
            <p class="updated">
              Updated <time dateTime={data.last_updated}>{formatClock(data.last_updated)}</time>
            </p>
            <button
              type="button"
              class="btn btn-secondary"
              disabled={refreshing}
              aria-busy={refreshing}
              onClick={() => void refresh()}
            >
              {refreshing ? <Spinner /> : <Icon icon={RefreshCw} size={16} />}
              <span>Refresh</span>
            </button>
          </div>
        )}
      </div>
      <div role="alert" class="inline-error">
        {refreshError}
      </div>
      <section aria-labelledby="community-heading" class="section">
        <h2 id="community-heading" class="section-title">
          Community
        </h2>
        {state.status === 'loading' && <PageLoading label="Loading the figures…" />}
        {state.status === 'error' && (
          <ErrorBox title="Could not load the figures" message={state.message} onRetry={retry} />
        )}
        {data && <StatCards data={data} />}
      </section>
      <ProfileSummary me={me} />
    </>
  );
}

function StatCards({ data }: { data: Dashboard }) {
  // Defensive: an older or partial answer shows dashes, never a crash.
  const stats = (data as Partial<Dashboard>).user_stats;
  return (
    <div class="stat-grid">
      <StatCard id="total" icon={Users} label="Total users" value={stats?.total_users} caption="Everyone who joined" />
      <StatCard
        id="active"
        icon={Activity}
        label="Active in last 24 h"
        value={stats?.active_users}
        caption="Seen in the last day"
      />
      <StatCard
        id="new"
        icon={UserPlus}
        label="New today"
        value={stats?.new_users_today}
        caption="Joined since midnight"
      />
    </div>
  );
}

interface StatCardProps {
  id: string;
  icon: IconNode;
  label: string;
  value: number | undefined;
  caption: string;
}

function StatCard({ id, icon, label, value, caption }: StatCardProps) {
  return (
    <article class={`glass-card stat-card stat-${id}`} aria-labelledby={`stat-${id}-label`}>
      <span class="stat-icon">
        <Icon icon={icon} size={22} />
      </span>
      <h3 id={`stat-${id}-label`} class="stat-label">
        {label}
      </h3>
      <p class="stat-value">{formatCount(value)}</p>
      <p class="stat-caption">{caption}</p>
    </article>
  );
}

function ProfileSummary({ me }: { me: Me }) {
  const name = nameOf(me);
  return (
    <section class="glass-card profile-summary" aria-labelledby="profile-heading">
      <Avatar url={me.avatar_url} name={name} large />
      <div class="profile-summary-text">
        <h2 id="profile-heading" class="profile-summary-name">
          {name}
        </h2>
        {me.username && <p class="muted">@{me.username}</p>}
        <ul class="meta-list">
          <li>
            <Icon icon={Globe} size={16} />
            <span>{me.timezone}</span>
          </li>
          <li>Member since {formatDate(me.created_at)}</li>
        </ul>
      </div>
      <a class="btn btn-secondary" href="/settings">
        Edit profile
      </a>
    </section>
  );
}

mount(<SignedInPage active="dashboard">{({ me }) => <DashboardPage me={me} />}</SignedInPage>);
