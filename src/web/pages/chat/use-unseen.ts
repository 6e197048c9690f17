import { useCallback, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../protocol/chat.js';

/** How many messages of others arrived out of view (the "N new messages" button). */
export function useUnseen(messages: readonly Message[], myId: number) {
  const [unseen, setUnseen] = useState(0);
  const lastId = useRef<number | null>(null);
  const current = useRef(messages);
  current.current = messages;

  /** After each commit: counts the new messages of others when they landed out of view. */
  const committed = useCallback(
    (outOfView: boolean) => {
      const list = current.current;
      const newest = list[list.length - 1]?.id ?? null;
      const previous = lastId.current;
      lastId.current = newest;
      if (!outOfView || previous === null || newest === null || newest <= previous) return;
      const fresh = list.filter((m) => m.id > previous && m.sender_id !== myId).length;
      if (fresh > 0) setUnseen((count) => count + fresh);
    },
    [myId],
  );
  const clear = useCallback(() => setUnseen(0), []);
  return { unseen, committed, clear };
}
