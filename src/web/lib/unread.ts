import { createContext } from 'preact';
import { useContext, useState } from 'preact/hooks';
import type { UnreadState } from '../../protocol/chat-read.js';
import type { Message } from '../../protocol/chat.js';
import { HERE, mentionedNames } from '../../protocol/mentions.js';
import { UNREAD_COUNT_CAP } from '../../protocol/unread.js';
import { sessionApi } from './api.js';
import type { Live } from './live.js';
import { createEmitter, createStore, useStore, type Emitter, type Store } from './store.js';

/**
 * My read position in the chat and the unread and mention counts, as the server keeps them, for
 * every signed-in page (the navigation's count) and the chat (its divider, title and
 * notifications). Loaded at start and after every reconnect; another tab's or device's reading
 * arrives as `read.updated`; a new message from someone else counts at once. Whether a message
 * really mentions me is the server's answer (it knows who may use `@here`), asked again when one
 * looks like it does.
 */
export interface UnreadView extends UnreadState {
  /** The first answer came. */
  loaded: boolean;
}

/** Reads reported within this long go to the server as one. */
const MARK_DELAY_MS = 300;
const REFRESH_DELAY_MS = 200;

const NOTHING_READ: UnreadView = Object.freeze({ loaded: false, last_read_id: 0, unread_count: 0, mentions_count: 0 });

export class UnreadTracker {
  readonly state: Store<UnreadView> = createStore<UnreadView>(NOTHING_READ);
  /** A new message that mentions me arrived (the server counted it). */
  readonly mentioned: Emitter<[message: Message]> = createEmitter();
  /** Messages that look like they mention me, waiting for the server's counts. */
  private maybeMentions: Message[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private markTimer: ReturnType<typeof setTimeout> | undefined;
  private wanted = 0;
  private writing = false;

  constructor(
    private readonly live: Live,
    private readonly me: { id: number; username: string | null },
  ) {}

  private get view(): UnreadView {
    return this.state.get();
  }

  /** Loads the counts and follows the socket; returns the stop. */
  start(): () => void {
    const { live } = this;
    const stops = [
      live.on('hello', () => void this.refresh()),
      live.on('read.updated', (event) => this.set(event)),
      live.on('message.created', ({ message }) => this.onCreated(message)),
      live.on('message.updated', ({ message }) => this.refreshIfUnread(message.id)),
      live.on('message.deleted', ({ id }) => this.refreshIfUnread(id)),
    ];
    void this.refresh();
    return () => {
      for (const stop of stops) stop();
      clearTimeout(this.refreshTimer);
      clearTimeout(this.markTimer);
    };
  }

  /** I have read up to `id`: shown at once, sent to the server shortly after (only forward). */
  markRead(id: number): void {
    if (id <= Math.max(this.view.last_read_id, this.wanted)) return;
    this.wanted = id;
    this.set({ last_read_id: id, unread_count: 0, mentions_count: 0 });
    clearTimeout(this.markTimer);
    this.markTimer = setTimeout(() => void this.write(), MARK_DELAY_MS);
  }

  private async write(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      let sent = 0;
      while (this.wanted > sent) {
        sent = this.wanted;
        this.set(await sessionApi.put<UnreadState>('/api/chat/read', { last_read_id: sent }));
      }
    } catch {
      // Kept locally; the next read or reconnect sends it again.
      this.wanted = 0;
    } finally {
      this.writing = false;
    }
  }

  private set(changes: Partial<UnreadView>): void {
    // A late answer never takes the position back.
    if (changes.last_read_id !== undefined && changes.last_read_id < this.view.last_read_id) return;
    this.state.set(changes);
  }

  private onCreated(message: Message): void {
    if (message.sender_id === this.me.id || message.id <= this.view.last_read_id) return;
    this.set({ unread_count: Math.min(UNREAD_COUNT_CAP, this.view.unread_count + 1) });
    const names = mentionedNames(message.content);
    const me = this.me.username?.toLowerCase();
    if (names.includes(HERE) || (me !== undefined && names.includes(me))) {
      this.maybeMentions.push(message);
      this.scheduleRefresh();
    }
  }

  private refreshIfUnread(id: number): void {
    if (id > this.view.last_read_id) this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    const before = this.view.mentions_count;
    const waiting = this.maybeMentions.splice(0);
    try {
      const state = await sessionApi.get<UnreadState>('/api/chat/unread');
      this.set({ ...state, loaded: true });
      if (state.mentions_count <= before) return;
      for (const message of waiting) {
        if (message.id > state.last_read_id) this.mentioned.emit(message);
      }
    } catch {
      // The counts stay as they were; the next event or reconnect asks again.
      if (!this.view.loaded) this.set({ loaded: true });
    }
  }
}

/** The signed-in page's tracker (`SignedInPage` makes it once the user is known). */
export const UnreadContext = createContext<UnreadTracker | null>(null);

export function useUnreadTracker(): UnreadTracker {
  const tracker = useContext(UnreadContext);
  if (tracker === null) throw new Error('useUnreadTracker before the user is known');
  return tracker;
}

/** The tracker's view, re-rendering on every change (null before the user is known). */
export function useUnreadView(): UnreadView | null {
  const tracker = useContext(UnreadContext);
  const [none] = useState(() => createStore<UnreadView>(NOTHING_READ));
  const view = useStore(tracker?.state ?? none);
  return tracker === null ? null : view;
}
