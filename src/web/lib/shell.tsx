import { LogOut, Menu, X } from 'lucide';
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Me } from '../../protocol/auth.js';
import { errorMessage, leaveTo } from './api.js';
import { Brand } from './brand.js';
import { getMe, logout } from './endpoints.js';
import { FloatingTimer } from './floating-timer.js';
import { FocusTimerContext } from './timer-hooks.js';
import { createFocusTimer } from './timer-store.js';
import { QuietFocusSummary } from './quiet-focus.js';
import { initialsOf, nameOf, roleLabel } from './format.js';
import { getLive } from './live.js';
import { Icon } from './icon.js';
import { NAV_ITEMS } from './nav.js';
import { countLabel } from '../../protocol/unread.js';
import { UnreadContext, UnreadTracker, useUnreadView } from './unread.js';
import { useOpenReports } from './open-reports.js';
import { ErrorBox, PageLoading, Spinner } from './ui.js';
import { useLoad } from './use-load.js';
import './shell.css';

export interface Session {
  me: Me;
  /** Updates what the shell shows (e.g. a new display name) without a reload. */
  updateMe: (changes: Partial<Me>) => void;
}

interface SignedInPageProps {
  /** The `key` of this page in NAV_ITEMS. */
  active: string;
  children: (session: Session) => ComponentChildren;
}

/** A signed-in page: the shell around it, and its content once `GET /auth/me` answered. */
export function SignedInPage({ active, children }: SignedInPageProps) {
  const { state, retry, setData } = useLoad(getMe);
  const me = state.status === 'ready' ? state.data : null;
  const updateMe = useCallback((changes: Partial<Me>) => me && setData({ ...me, ...changes }), [me, setData]);
  useRoleChanges(me, setData, active);
  const [focusTimer] = useState(() => createFocusTimer(getLive()));
  const signedIn = me !== null;
  useEffect(() => (signedIn ? focusTimer.start() : undefined), [signedIn, focusTimer]);
  const unread = useUnreadTrackerOf(me);

  let content: ComponentChildren;
  if (state.status === 'loading') content = <PageLoading />;
  else if (state.status === 'error') content = <ErrorBox message={state.message} onRetry={retry} />;
  else content = children({ me: state.data, updateMe });

  return (
    <FocusTimerContext.Provider value={focusTimer}>
      <UnreadContext.Provider value={unread}>
        <AppShell me={me} active={active}>
          {content}
        </AppShell>
        {/* The running or paused focus timer, on every page once signed in (the clock page has its own). */}
        {me && <FloatingTimer hidden={active === 'clock'} />}
        {me && <QuietFocusSummary />}
      </UnreadContext.Provider>
    </FocusTimerContext.Provider>
  );
}

/** This page's unread tracker, made once the user is known. */
function useUnreadTrackerOf(me: Me | null): UnreadTracker | null {
  const [tracker, setTracker] = useState<UnreadTracker | null>(null);
  const current = tracker ?? (me === null ? null : new UnreadTracker(getLive(), me));
  if (current !== tracker) setTracker(current);
  useEffect(() => current?.start(), [current]);
  return current;
}

/**
 * A role changed by an admin shows at once (navigation, badge); a page only admins may see is
 * left for the dashboard.
 */
function useRoleChanges(me: Me | null, setMe: (me: Me) => void, active: string): void {
  const current = useRef(me);
  current.current = me;
  const signedIn = me !== null;
  useEffect(() => {
    if (!signedIn) return;
    return getLive().on('role.changed', ({ role }) => {
      if (current.current) setMe({ ...current.current, role });
      const adminPage = NAV_ITEMS.some((item) => item.key === active && item.adminOnly);
      if (adminPage && role !== 'admin') leaveTo('/dashboard');
    });
  }, [signedIn, setMe, active]);
}

function AppShell({ me, active, children }: { me: Me | null; active: string; children: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);

  // A layout effect listens from the moment the menu shows; a plain effect runs after paint, and an
  // Escape pressed in between would be lost.
  useLayoutEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  const items = NAV_ITEMS.filter((item) => !item.adminOnly || me?.role === 'admin');
  const unread = useUnreadView();
  const chatCount = unread?.unread_count ?? 0;
  const openReports = useOpenReports(me?.role === 'admin');
  return (
    <div class="app-shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="sidebar">
        <div class="sidebar-head">
          <Brand href="/dashboard" />
          <button
            ref={menuButton}
            type="button"
            class="btn btn-ghost menu-button"
            aria-expanded={open}
            aria-controls="site-nav"
            onClick={() => setOpen(!open)}
          >
            <Icon icon={open ? X : Menu} />
            <span>Menu</span>
          </button>
        </div>
        <div id="site-nav" class={open ? 'sidebar-body is-open' : 'sidebar-body'}>
          <nav aria-label="Main">
            <ul class="nav-list">
              {items.map((item) => (
                <li key={item.key}>
                  <a
                    class="nav-link"
                    href={item.href}
                    aria-current={item.key === active ? 'page' : undefined}
                    onClick={() => setOpen(false)}
                  >
                    <Icon icon={item.icon} />
                    <span>{item.label}</span>
                    {item.key === 'chat' && chatCount > 0 && (
                      <>
                        <span class="nav-badge" aria-hidden="true" data-testid="chat-unread">
                          {countLabel(chatCount)}
                        </span>
                        <span class="visually-hidden">, {countLabel(chatCount)} unread</span>
                      </>
                    )}
                    {item.key === 'admin' && openReports !== null && openReports > 0 && (
                      <span class="nav-badge" data-testid="open-reports">
                        {openReports}
                        <span class="visually-hidden"> open {openReports === 1 ? 'report' : 'reports'}</span>
                      </span>
                    )}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <UserPanel me={me} />
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function UserPanel({ me }: { me: Me | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onLogout = async () => {
    setBusy(true);
    setError(null);
    try {
      await logout();
      leaveTo('/');
    } catch (caught) {
      setError(`Could not log out: ${errorMessage(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  const name = me ? nameOf(me) : '';
  return (
    <div class="user-panel">
      {me ? (
        <div class="user-chip" data-testid="current-user">
          <Avatar url={me.avatar_url} name={name} />
          <div class="user-chip-text">
            <span class="user-name">{name}</span>
            <span class={`role-badge role-${me.role}`}>{roleLabel(me.role)}</span>
          </div>
        </div>
      ) : (
        <div class="user-chip user-chip-placeholder" aria-hidden="true" />
      )}
      <button type="button" class="btn btn-secondary logout-button" disabled={busy} onClick={() => void onLogout()}>
        {busy ? <Spinner /> : <Icon icon={LogOut} size={18} />}
        <span>Log out</span>
      </button>
      <div role="alert" class="user-panel-error">
        {error}
      </div>
    </div>
  );
}

/** The user's picture, or their initials when there is none or it does not load. */
export function Avatar({ url, name, large }: { url: string | null; name: string; large?: boolean }) {
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [url]);
  const className = large ? 'avatar avatar-large' : 'avatar';
  if (url && !failed) {
    return <img class={className} src={url} alt="" referrerpolicy="no-referrer" onError={() => setFailed(true)} />;
  }
  return (
    <span class={className} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
