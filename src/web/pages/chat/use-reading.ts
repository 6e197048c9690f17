import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../../../protocol/auth.js';
import { countLabel } from '../../../protocol/unread.js';
import { useUnreadTracker, useUnreadView, type UnreadTracker } from '../../lib/unread.js';
import { useStore } from '../../lib/store.js';
import type { ChatStore } from './store.js';

const TITLE = 'Chat · CodeChicks';

function useVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

export interface Reading {
  unread: UnreadTracker;
  /** The read position and the first messages are known: the list can open at the right place. */
  ready: boolean;
  /** The first message that was unread when the chat opened (the "New messages" line goes above it). */
  firstUnreadId: number | null;
}

/**
 * The chat's reading: the "New messages" line where reading stopped last time, the count in the
 * tab title while the chat is not in view (hidden, or scrolled up), and the read position moved
 * to the newest message whenever the reader is at the bottom of a visible tab.
 */
export function useReading(me: Me, store: ChatStore, atBottom: boolean): Reading {
  const unread = useUnreadTracker();
  const view = useUnreadView();
  /** What was read, and the newest message, when the chat opened: the line marks only what was new then. */
  const [opened, setOpened] = useState<{ after: number; upTo: number } | null>(null);
  const visible = useVisible();
  const held = useStore(store.state);
  const newest = held.messages[held.messages.length - 1]?.id;
  const loaded = view?.loaded === true && held.loaded;
  const lastRead = view?.last_read_id ?? 0;

  useEffect(() => {
    if (loaded && opened === null) setOpened({ after: lastRead, upTo: newest ?? 0 });
  }, [loaded, opened, lastRead, newest]);

  const inView = visible && atBottom;
  useEffect(() => {
    if (opened !== null && inView && newest !== undefined) unread.markRead(newest);
  }, [opened, inView, newest, unread]);

  const count = view?.unread_count ?? 0;
  useEffect(() => {
    document.title = !inView && count > 0 ? `(${countLabel(count)}) ${TITLE}` : TITLE;
  }, [inView, count]);
  useEffect(() => () => void (document.title = TITLE), []);

  // Someone who never read the chat gets no line: everything is new, and they start at the bottom.
  const first =
    opened === null || opened.after === 0
      ? undefined
      : held.messages.find((m) => m.id > opened.after && m.sender_id !== me.id);
  const firstUnreadId = first !== undefined && opened !== null && first.id <= opened.upTo ? first.id : null;
  return { unread, ready: opened !== null, firstUnreadId };
}
