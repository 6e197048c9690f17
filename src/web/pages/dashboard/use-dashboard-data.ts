import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Dashboard, MyDashboard } from '../../../protocol/dashboard.js';
import { errorMessage } from '../../lib/api.js';
import { getDashboard, getMyDashboard } from '../../lib/endpoints.js';

/** How often the figures refresh while the page is in view. */
export const REFRESH_MS = 60_000;

export type Part<T> = { ok: true; data: T } | { ok: false; message: string };

export type DashboardState =
  { status: 'loading' } | { status: 'ready'; community: Part<Dashboard>; mine: Part<MyDashboard>; loadedAt: string };

function partOf<T>(result: PromiseSettledResult<T>): Part<T> {
  return result.status === 'fulfilled'
    ? { ok: true, data: result.value }
    : { ok: false, message: errorMessage(result.reason) };
}

async function fetchBoth() {
  const [community, mine] = await Promise.allSettled([getDashboard(), getMyDashboard()]);
  return { community: partOf(community), mine: partOf(mine), loadedAt: new Date().toISOString() };
}

/** A refresh that failed keeps the figures already shown (the error is said separately). */
function keep<T>(previous: Part<T> | undefined, next: Part<T>): Part<T> {
  return !next.ok && previous?.ok ? previous : next;
}

/**
 * Both dashboard answers, loaded together so the page settles once: each part ends with its
 * data or its error (never stuck loading). `refresh` runs every minute while the tab is
 * visible, at once when it becomes visible after that long, and from the Refresh button.
 */
export function useDashboardData() {
  const [state, setState] = useState<DashboardState>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const busy = useRef(false);
  const lastLoad = useRef(0);

  const load = useCallback(async () => {
    busy.current = true;
    setState({ status: 'loading' });
    setRefreshError(null);
    try {
      setState({ status: 'ready', ...(await fetchBoth()) });
    } finally {
      lastLoad.current = Date.now();
      busy.current = false;
    }
  }, []);

  const refresh = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setRefreshing(true);
    try {
      const next = await fetchBoth();
      const failed = [next.community, next.mine].find((part) => !part.ok);
      setState((previous) => {
        const before = previous.status === 'ready' ? previous : undefined;
        return {
          status: 'ready',
          community: keep(before?.community, next.community),
          mine: keep(before?.mine, next.mine),
          loadedAt: next.loadedAt,
        };
      });
      setRefreshError(failed && !failed.ok ? `Could not refresh: ${failed.message}` : null);
    } finally {
      lastLoad.current = Date.now();
      busy.current = false;
      setRefreshing(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() - lastLoad.current >= REFRESH_MS) void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refresh]);

  const retry = useCallback(() => void load(), [load]);
  return { state, refreshing, refreshError, refresh, retry };
}
