import { useEffect, useState } from 'preact/hooks';
import type { ReportCount } from '../../protocol/moderation.js';
import { sessionApi } from './api.js';
import { getLive } from './live.js';

/** For admins: how many messages have open reports, kept live by `reports.changed`; null for members. */
export function useOpenReports(isAdmin: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!isAdmin) {
      setCount(null);
      return;
    }
    let current = true;
    sessionApi.get<ReportCount>('/api/admin/reports/count').then(
      (answer) => current && setCount(answer.open_count),
      () => undefined,
    );
    const stop = getLive().on('reports.changed', ({ open_count: openCount }) => setCount(openCount));
    return () => {
      current = false;
      stop();
    };
  }, [isAdmin]);
  return count;
}
