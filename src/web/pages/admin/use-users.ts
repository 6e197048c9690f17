import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AdminUser } from '../../../protocol/admin.js';
import { useLatest } from '../../lib/use-load.js';
import { listUsers, type UserView } from './admin-api.js';

const PAGE_SIZE = 50;
/** Typing pauses this long before the list is asked for again. */
const SEARCH_DELAY_MS = 300;

export interface UsersView {
  users: AdminUser[];
  total: number;
  loading: boolean;
  error: string | null;
}

/**
 * The accounts matching `search`, a page at a time. Only the answer to the latest search is shown:
 * an older one arriving late is dropped.
 */
export function useUsers(search: string, filter: UserView = {}) {
  const [view, setView] = useState<UsersView>({ users: [], total: 0, loading: true, error: null });
  const latest = useLatest();
  const lastAsked = useRef({ query: search, offset: 0 });
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const filterKey = JSON.stringify(filter);

  const load = useCallback(
    (query: string, offset: number) => {
      lastAsked.current = { query, offset };
      setView((v) => ({ ...v, loading: true, error: null }));
      return latest(
        () => listUsers(query, offset, PAGE_SIZE, filterRef.current),
        (outcome) => {
          if (!outcome.ok) {
            setView((v) => ({ ...v, loading: false, error: outcome.message }));
            return;
          }
          const page = outcome.value;
          setView((v) => ({
            users:
              offset === 0
                ? page.users
                : [...v.users, ...page.users.filter((u) => !v.users.some((h) => h.id === u.id))],
            total: page.total,
            loading: false,
            error: null,
          }));
        },
      );
    },
    [latest],
  );

  const first = useRef(true);
  useEffect(() => {
    // The first list comes at once; later ones once typing pauses.
    const delay = first.current ? 0 : SEARCH_DELAY_MS;
    first.current = false;
    const timer = setTimeout(() => void load(search, 0), delay);
    return () => clearTimeout(timer);
  }, [search, filterKey, load]);

  const more = useCallback(() => void load(search, view.users.length), [load, search, view.users.length]);
  const retry = useCallback(() => void load(lastAsked.current.query, lastAsked.current.offset), [load]);
  const replace = useCallback(
    (user: AdminUser) => setView((v) => ({ ...v, users: v.users.map((u) => (u.id === user.id ? user : u)) })),
    [],
  );
  return { view, more, retry, replace };
}
