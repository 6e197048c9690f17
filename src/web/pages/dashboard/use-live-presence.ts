import { useEffect, useState } from 'preact/hooks';
import type { OnlineUser } from '../../../protocol/chat.js';
import { getLive } from '../../lib/live.js';

export interface PresenceCounts {
  online: number;
  focusing: number;
}

function countsOf(online: readonly OnlineUser[]): PresenceCounts {
  return { online: online.length, focusing: online.filter((user) => user.focusing !== null).length };
}

/**
 * Who is online and focusing, from the live socket's `presence` (its hello's list, then each
 * change): no polling. Null until the socket told us, and again while it is down, so the page
 * shows the last HTTP figures instead of live ones it no longer has.
 */
export function useLivePresence(): PresenceCounts | null {
  const [counts, setCounts] = useState<PresenceCounts | null>(null);
  useEffect(() => {
    const live = getLive();
    // The socket may have spoken before this page listened (the shell opens it too).
    const known = live.latest('presence');
    if (known !== undefined) setCounts(countsOf(known.online));
    const unsubscribe = [
      live.on('presence', (event) => setCounts(countsOf(event.online))),
      live.onStatus((status) => {
        if (status !== 'open') setCounts(null);
      }),
    ];
    return () => {
      for (const off of unsubscribe) off();
    };
  }, []);
  return counts;
}
