import { Ban, MessagesSquare, ShieldCheck, UserPlus, Users, type IconNode } from 'lucide';
import { useRef, useState } from 'preact/hooks';
import type { AdminStats, AdminUserChange } from '../../../protocol/admin.js';
import type { Me } from '../../../protocol/auth.js';
import { leaveTo } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { inputValue, TextField } from '../../lib/forms.js';
import { mount } from '../../lib/mount.js';
import { SignedInPage } from '../../lib/shell.js';
import { StatCard, type Tone } from '../../lib/stat-card.js';
import { ErrorBox, PageLoading, Spinner } from '../../lib/ui.js';
import { useLoad } from '../../lib/use-load.js';
import { AuditPanel } from './audit-panel.js';
import { changeUser, getStats, timeOutUser, type UserView } from './admin-api.js';
import { ReportsPanel } from './reports-panel.js';
import { SlowModeCard } from './slow-mode-card.js';
import { UserFilters } from './user-filters.js';
import { UserRow } from './user-row.js';
import { useUsers } from './use-users.js';
import './main.css';

const FIGURES: readonly { key: keyof AdminStats; label: string; icon: IconNode; tone: Tone }[] = [
  { key: 'total_users', label: 'Accounts', icon: Users, tone: 'pink' },
  { key: 'admins', label: 'Admins', icon: ShieldCheck, tone: 'violet' },
  { key: 'disabled_users', label: 'Disabled', icon: Ban, tone: 'amber' },
  { key: 'incomplete_profiles', label: 'Still onboarding', icon: UserPlus, tone: 'cyan' },
  { key: 'total_messages', label: 'Messages', icon: MessagesSquare, tone: 'green' },
];

function AdminPage({ me }: { me: Me }) {
  const stats = useLoad(getStats);
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<UserView>({});
  const { view, more, retry, replace } = useUsers(search, filter);
  /** Bumped by every change made here, so the audit log shows it. */
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);
  // The figures stay on screen while they are fetched again after a change.
  const shown = useRef<AdminStats | null>(null);
  if (stats.state.status === 'ready') shown.current = stats.state.data;
  const figures = shown.current;

  const onChange = async (id: number, change: AdminUserChange) => {
    const changed = await changeUser(id, change);
    replace(changed);
    // Stepped down: this page is not theirs any more.
    if (changed.id === me.id && changed.role !== 'admin') leaveTo('/dashboard');
    else stats.retry();
    setChanges((n) => n + 1);
  };

  const onTimeout = async (id: number, minutes: number) => {
    replace(await timeOutUser(id, minutes));
    changed();
  };

  return (
    <>
      <div class="page-header">
        <div>
          <p class="eyebrow">Admin</p>
          <h1 class="page-title">People</h1>
          <p class="page-subtitle">Who is here, who may run the place, and who is shut out.</p>
        </div>
      </div>

      <section aria-label="Accounts at a glance" class="section figures">
        {stats.state.status === 'error' ? (
          <ErrorBox title="Could not load the figures" message={stats.state.message} onRetry={stats.retry} />
        ) : (
          <div class="stat-grid stat-grid-compact">
            {FIGURES.map(({ key, ...card }) => (
              <StatCard key={key} id={key} {...card} value={formatCount(figures?.[key])} compact />
            ))}
          </div>
        )}
      </section>

      <ReportsPanel onResolved={changed} />

      <section aria-labelledby="accounts-heading" class="section glass-card admin-users">
        <div class="admin-users-header">
          <h2 id="accounts-heading" class="section-title">
            Accounts
          </h2>
          <p class="muted" aria-live="polite">
            {view.loading ? 'Searching…' : `${formatCount(view.total)} ${view.total === 1 ? 'account' : 'accounts'}`}
          </p>
        </div>
        <form role="search" class="admin-search" onSubmit={(event) => event.preventDefault()}>
          <TextField
            id="admin-search"
            label="Find people"
            type="search"
            hint="Part of an email, username or name"
            value={search}
            autoComplete="off"
            maxLength={254}
            onInput={(event) => setSearch(inputValue(event))}
          />
        </form>
        <UserFilters filter={filter} onChange={setFilter} />
        {view.error !== null && <ErrorBox title="Could not load the accounts" message={view.error} onRetry={retry} />}
        {view.users.length === 0 && view.loading && <PageLoading label="Loading the accounts…" />}
        {view.users.length === 0 && !view.loading && view.error === null && (
          <p class="muted">{search.trim() === '' ? 'No accounts yet.' : `Nobody matches “${search.trim()}”.`}</p>
        )}
        <ul class="user-list divided-list">
          {view.users.map((user) => (
            <UserRow key={user.id} user={user} isMe={user.id === me.id} onChange={onChange} onTimeout={onTimeout} />
          ))}
        </ul>
        {view.users.length < view.total && view.error === null && (
          <button
            type="button"
            class="btn btn-secondary"
            disabled={view.loading}
            aria-busy={view.loading}
            onClick={more}
          >
            {view.loading && <Spinner />}
            <span>Show more ({formatCount(view.total - view.users.length)} left)</span>
          </button>
        )}
      </section>

      <SlowModeCard onSaved={changed} />
      <AuditPanel version={changes} />
    </>
  );
}

mount(<SignedInPage active="admin">{({ me }) => <AdminPage me={me} />}</SignedInPage>);
