import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Me } from '../../../protocol/auth.js';
import { getLive } from '../../lib/live.js';
import { ChatActions } from './actions.js';
import { ChatStore } from './store.js';
import { ChatSprints } from './sprints.js';
import { ChatSync } from './sync.js';

export interface Chat {
  store: ChatStore;
  sync: ChatSync;
  actions: ChatActions;
  sprints: ChatSprints;
}

/**
 * The page's chat: store, sync and actions, made once per mount and started on mount.
 * Components read their part with `useStore` (messages, connection, presence, history).
 */
export function useChat(me: Me): Chat {
  const [chat] = useState<Chat>(() => {
    const store = new ChatStore(me.id);
    const sync = new ChatSync(getLive(), store, me);
    const actions = new ChatActions(store, (liveError) => sync.connection.set({ liveError }));
    return { store, sync, actions, sprints: new ChatSprints(getLive()) };
  });

  useEffect(() => {
    chat.sync.start();
    // Closing the tab with a message still on its way: the browser asks first.
    const warn = (event: BeforeUnloadEvent) => {
      if (chat.sync.outbox.busy) event.preventDefault();
    };
    addEventListener('beforeunload', warn);
    return () => {
      chat.sync.stop();
      chat.sprints.stop();
      removeEventListener('beforeunload', warn);
    };
  }, [chat]);

  return chat;
}

/** The current time, refreshed every `everyMs` (so "can still edit" and "Today" stay true). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const BOTTOM_GAP_PX = 16;

/** Sizes the element to end at the bottom of the window, so only the message list scrolls. */
export function useFillViewport<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const fit = () => {
      const viewport = window.visualViewport?.height ?? window.innerHeight;
      const top = element.getBoundingClientRect().top + window.scrollY;
      element.style.height = `${Math.max(380, Math.floor(viewport - top - BOTTOM_GAP_PX))}px`;
    };
    fit();
    // Web fonts change the height of what sits above.
    void document.fonts.ready.then(fit);
    addEventListener('resize', fit);
    window.visualViewport?.addEventListener('resize', fit);
    return () => {
      removeEventListener('resize', fit);
      window.visualViewport?.removeEventListener('resize', fit);
    };
  }, []);
  return ref;
}
