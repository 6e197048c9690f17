import type { Me } from '../../../protocol/auth.js';
import type { Message } from '../../../protocol/chat.js';
import { errorMessage } from '../../lib/api.js';
import type { Live, LiveEvent, LiveStatus } from '../../lib/live.js';
import { createStore, type Store } from '../../lib/store.js';
import { getAfter, getBefore, getLatest } from './chat-api.js';
import { History } from './history.js';
import { Outbox } from './outbox.js';
import { ChatPresence } from './presence.js';
import type { ChatStore } from './store.js';

export type Connection = 'connecting' | 'open' | 'reconnecting' | 'polling';

/** The live connection, and what the server says over it about this person. */
export interface ConnectionView {
  connection: Connection;
  isAdmin: boolean;
  /** Server clock minus ours, from `hello` (the edit window is the server's). */
  serverOffsetMs: number;
  /** An `error` event not about one of our messages. */
  liveError: string | null;
}

const PAGE_SIZE = 50;
const CATCH_UP_LIMIT = 100;
/** More missed than this many pages of CATCH_UP_LIMIT: show the latest page instead of replaying. */
const MAX_CATCH_UP_PAGES = 5;
/** Held messages re-read after a reconnect (edits and deletes made meanwhile), in pages of 100. */
const REFRESH_PAGES = 5;
const POLL_MS = 5_000;
/** Failed WebSocket attempts (never opened) before polling over HTTP. */
const POLL_AFTER_FAILURES = 3;
const RETRY_SYNC_MS = 5_000;

export const AWAY_NOTICE = 'You were away for a while: showing the latest messages.';

/**
 * Keeps the store in step with the server: the first page, live events, and after every
 * (re)connect a catch-up (`after=<last id>`, looping while `has_more`) plus a re-read of the
 * held window for edits and deletes made meanwhile. Polls over HTTP only while the WebSocket
 * has never opened and keeps failing.
 */
export class ChatSync {
  readonly connection: Store<ConnectionView>;
  readonly presence: ChatPresence;
  readonly outbox: Outbox;
  readonly history: History;
  /** Every message up to this id is held (or was deleted). */
  private cursor = 0;
  /** Bumped whenever the socket closes: events may have been missed since. */
  private generation = 0;
  private helloGeneration = -1;
  /** Live events are known to follow on from what is held: they move the cursor. */
  private caughtUp = false;
  private syncing = false;
  private again = false;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private watchTimer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly live: Live,
    readonly store: ChatStore,
    me: Me,
  ) {
    this.connection = createStore<ConnectionView>({
      connection: 'connecting',
      isAdmin: me.role === 'admin',
      serverOffsetMs: 0,
      liveError: null,
    });
    this.presence = new ChatPresence(live, store, me);
    this.outbox = new Outbox(live, store);
    this.history = new History(store, PAGE_SIZE);
  }

  start(): void {
    const { live, store } = this;
    this.stops.push(
      live.onStatus((status) => this.onStatus(status)),
      live.on('hello', (event) => this.onHello(event)),
      live.on('message.created', ({ message }) => {
        store.created(message);
        if (this.caughtUp) this.cursor = Math.max(this.cursor, message.id);
      }),
      live.on('message.updated', ({ message }) => store.updated(message)),
      live.on('message.deleted', ({ id }) => store.deleted(id)),
      live.on('reactions.updated', ({ id, ...update }) => store.reactions(id, update)),
      live.on('resync', ({ after }) => {
        // The server may have lost events since `after`: fetch from there again (merged by id).
        this.cursor = Math.min(this.cursor, after);
        this.caughtUp = false;
        void this.requestSync();
      }),
      live.on('role.changed', ({ role }) => this.connection.set({ isAdmin: role === 'admin' })),
      live.on('ack', ({ ref, message }) => this.outbox.acked(ref, message)),
      live.on('error', ({ ref, code, detail }) => {
        if (ref !== undefined && store.findPending(ref) !== undefined) this.outbox.refused(ref, code, detail);
        else this.connection.set({ liveError: detail });
      }),
    );
    this.watchTimer = setInterval(() => this.onStatus(live.status), 1_000);
    this.onStatus(live.status);
    const hello = live.latest('hello');
    if (hello) this.onHello(hello);
    // After the hello: a presence that came later is newer than the hello's list.
    this.stops.push(this.presence.start());
    void this.requestSync();
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    clearInterval(this.pollTimer);
    clearInterval(this.watchTimer);
    clearTimeout(this.retryTimer);
    this.outbox.dispose();
  }

  /** Reconnect now (the status's button) instead of waiting for the backoff. */
  reconnect(): void {
    this.live.reconnect();
    if (this.connection.get().connection === 'polling') void this.requestSync();
  }

  retryLoad(): void {
    this.history.view.set({ loadError: null });
    void this.requestSync();
  }

  private onStatus(status: LiveStatus): void {
    if (
      status !== 'open' &&
      (this.connection.get().connection === 'open' || this.helloGeneration === this.generation)
    ) {
      // Whatever happens until the next hello may be missed: catch up then.
      this.generation += 1;
      this.caughtUp = false;
      this.outbox.socketLost();
      this.presence.socketLost();
    }
    let connection: Connection = status;
    if (status !== 'open' && !this.live.everOpened) {
      connection = this.live.failures >= POLL_AFTER_FAILURES ? 'polling' : 'connecting';
    }
    if (connection === 'polling') this.startPolling();
    else this.stopPolling();
    this.connection.set({ connection });
  }

  private onHello(event: LiveEvent<'hello'>): void {
    this.helloGeneration = this.generation;
    this.connection.set({
      isAdmin: event.user.role === 'admin',
      serverOffsetMs: Date.parse(event.server_time) - Date.now() || 0,
      liveError: null,
    });
    this.presence.seen(event.online, event.online_count);
    this.outbox.flush();
    void this.requestSync();
  }

  private startPolling(): void {
    if (this.pollTimer !== undefined) return;
    const poll = () => {
      void this.requestSync();
      this.presence.poll();
    };
    this.pollTimer = setInterval(poll, POLL_MS);
    poll();
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** One sync at a time; a request during one runs another right after it. */
  async requestSync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.again = false;
        await this.syncOnce();
      } while (this.again);
    } finally {
      this.syncing = false;
    }
  }

  private async syncOnce(): Promise<void> {
    clearTimeout(this.retryTimer);
    const generation = this.generation;
    const liveFromStart = this.live.status === 'open' && this.helloGeneration === generation;
    try {
      if (!this.store.loaded) {
        await this.loadLatest();
      } else {
        await this.catchUp();
        await this.refreshWindow(this.connection.get().connection === 'polling' ? 1 : REFRESH_PAGES);
      }
      if (liveFromStart && generation === this.generation && this.live.status === 'open') this.caughtUp = true;
      this.history.view.set({ syncError: null, loadError: null });
    } catch (error) {
      if (!this.store.loaded) {
        this.history.view.set({ loadError: errorMessage(error) });
        return;
      }
      this.history.view.set({ syncError: `Could not fetch the latest messages: ${errorMessage(error)} Trying again…` });
      if (this.connection.get().connection !== 'polling') {
        this.retryTimer = setTimeout(() => void this.requestSync(), RETRY_SYNC_MS);
      }
    }
  }

  private async loadLatest(): Promise<void> {
    const asOf = this.store.mark();
    const page = await getLatest(PAGE_SIZE);
    this.store.reset(page.messages, page.has_more, asOf);
    this.cursor = page.messages[0]?.id ?? this.cursor;
  }

  /** Everything after the cursor, oldest first; too much of it and the latest page is shown instead. */
  private async catchUp(): Promise<void> {
    const asOf = this.store.mark();
    const found: Message[] = [];
    let after = this.cursor;
    for (let pages = 1; ; pages += 1) {
      const page = await getAfter(after, CATCH_UP_LIMIT);
      found.push(...page.messages);
      const last = page.messages[page.messages.length - 1];
      if (last !== undefined) after = last.id;
      if (!page.has_more || last === undefined) break;
      if (pages >= MAX_CATCH_UP_PAGES) {
        // Never a partial replay shown as if complete: jump to the present and say so.
        await this.loadLatest();
        this.history.view.set({ notice: AWAY_NOTICE });
        return;
      }
    }
    this.store.merge(found, asOf);
    this.cursor = Math.max(this.cursor, after);
  }

  /** Re-reads the held messages from the newest down: deleted ones go, edited ones change. */
  private async refreshWindow(maxPages: number): Promise<void> {
    const lowest = this.store.lowestId;
    if (lowest === undefined) return;
    let before = this.cursor + 1;
    for (let pages = 0; pages < maxPages; pages += 1) {
      const asOf = this.store.mark();
      const page = await getBefore(before, CATCH_UP_LIMIT);
      const oldest = page.messages[page.messages.length - 1]?.id;
      const complete = !page.has_more || oldest === undefined;
      this.store.reconcile(page.messages, asOf, complete ? 0 : oldest, before - 1);
      if (complete || oldest <= lowest) return;
      before = oldest;
    }
  }
}
