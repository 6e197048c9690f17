import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { OnlineUser } from '../../../protocol/chat.js';
import { ONLINE_PAGE_MAX, ONLINE_SHOWN, onlineCursor } from '../../../protocol/presence.js';
import { useLatest } from '../../lib/use-load.js';
import { getOnline } from './chat-api.js';

/** A change of who is online reads the extra people again, at most this often… */
export const MORE_REFRESH_MS = 3_000;
/**
 * …and, while they are shown, at least this often: someone past the first ONLINE_SHOWN going
 * idle changes nothing the socket is sent.
 */
export const MORE_STALE_MS = 30_000;

/**
 * The people online past the first ONLINE_SHOWN the socket keeps: none until asked for ("show
 * them", ONLINE_SHOWN more each time), then read again over HTTP when the live list or count
 * changes and every MORE_STALE_MS, so that nobody who left stays listed and nobody who came is
 * missing. Only the newest read is shown.
 */
export function useMoreOnline(online: readonly OnlineUser[], onlineCount: number) {
  const [more, setMore] = useState<OnlineUser[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wanted = useRef(0);
  const lastRead = useRef(0);
  const liveEnd = useRef<string | undefined>(undefined);
  const last = online.at(-1);
  liveEnd.current = last === undefined ? undefined : onlineCursor(last);
  const latest = useLatest();

  const read = useCallback(() => {
    lastRead.current = Date.now();
    return latest(
      () => readAfter(liveEnd.current, wanted.current),
      (outcome) => {
        if (outcome.ok) setMore(outcome.value);
        setError(outcome.ok ? null : outcome.message);
      },
    );
  }, [latest]);

  const showMore = useCallback(async () => {
    wanted.current += ONLINE_SHOWN;
    setLoading(true);
    await read();
    setLoading(false);
  }, [read]);

  useEffect(() => {
    if (wanted.current === 0) return;
    const timer = setTimeout(() => void read(), lastRead.current + MORE_REFRESH_MS - Date.now());
    return () => clearTimeout(timer);
  }, [online, onlineCount, read]);

  const shown = more.length > 0;
  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => void read(), MORE_STALE_MS);
    return () => clearInterval(timer);
  }, [shown, read]);

  return { more, loading, error, showMore };
}

/** Up to `wanted` people after `cursor`, in pages of at most ONLINE_PAGE_MAX. */
async function readAfter(cursor: string | undefined, wanted: number): Promise<OnlineUser[]> {
  const people: OnlineUser[] = [];
  let after = cursor;
  while (people.length < wanted) {
    const limit = Math.min(ONLINE_PAGE_MAX, wanted - people.length);
    const page = await getOnline(limit, after);
    people.push(...page);
    const end = page.at(-1);
    if (end === undefined || page.length < limit) break;
    after = onlineCursor(end);
  }
  return people;
}
