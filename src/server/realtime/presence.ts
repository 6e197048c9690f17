import type { FastifyBaseLogger } from 'fastify';
import type { OnlineUser } from '../../protocol/chat.js';
import { ONLINE_SHOWN, presenceChange } from '../../protocol/presence.js';
import type { Bus, FocusState } from '../bus/bus.js';
import type { Clock } from '../context.js';
import type { Connection, Connections } from './connections.js';
import { encodeEvent } from './emit.js';
import type { PresenceStore } from './presence-store.js';

export interface PresenceOptions {
  bus: Bus;
  store: PresenceStore;
  clock: Clock;
  log: FastifyBaseLogger;
  connections: Connections;
  /** What presence shows of a newly connected user's focus timer. */
  loadFocus(userId: number): Promise<FocusState>;
  idleAfterMs?: number;
  /** Presence changes within this window go out as one update: at most this long (a large wave)… */
  coalesceMs?: number;
  /**
   * …and this long per person online or socket here, whichever is more: an update costs a write per
   * socket here and a read of everyone, so a small instance answers a hello at once.
   */
  coalescePerSocketMs?: number;
  /** A change of the online count alone goes out at most this often. */
  countEveryMs?: number;
}

export type Presence = ReturnType<typeof createPresence>;

/** What a socket is shown of who is online: the first ONLINE_SHOWN people in order, and how many in all. */
export interface PresenceView {
  online: OnlineUser[];
  online_count: number;
}

/**
 * Who is online, across instances (through the presence store), and what this instance's sockets
 * are told of it. Each socket holds the first ONLINE_SHOWN people and the count: a newcomer gets
 * that list once, in its hello, the others only changes inside it (and the count), so a wave of N
 * connections costs bytes in proportion to N, not N². The whole list is paged over HTTP (`page`).
 */
export function createPresence(options: PresenceOptions) {
  const { bus, clock, log, store, connections } = options;
  const idleAfterMs = options.idleAfterMs ?? 120_000;
  const coalesceMs = options.coalesceMs ?? 250;
  const coalescePerSocketMs = options.coalescePerSocketMs ?? 0.1;
  const countEveryMs = options.countEveryMs ?? 2_000;
  const focusStates = new Map<number, FocusState>();
  let published = '';
  /** When the first socket here that was active at the last sync goes idle: no tick before it has work. */
  let nextIdleAt = Number.POSITIVE_INFINITY;
  /** Everyone online, as last read: what the REST figures show. */
  let everyone: OnlineUser[] = [];
  /** What this instance's sockets hold (a new one from its hello): the base of the next change. */
  let sent: OnlineUser[] = [];
  let sentCount = 0;
  let countSentAt = 0;
  let flushing = Promise.resolve();
  let reads = 0;
  let lastRead = 0;
  let timer: NodeJS.Timeout | undefined;
  /** When the last update started (monotonic): the next one waits out the rest of its window. */
  let lastUpdateAt = Number.NEGATIVE_INFINITY;
  /** Hellos waiting for the next update to start (the one after the one running, if any). */
  let waiting: ((view: PresenceView) => void)[] = [];
  let countTimer: NodeJS.Timeout | undefined;
  let closed = false;

  function countLater(): void {
    countTimer = undefined;
    schedule();
  }

  function setFocus(userId: number, focus: FocusState): void {
    if (focus.focusing === null && !focus.quiet) focusStates.delete(userId);
    else focusStates.set(userId, focus);
  }

  function refreshFocus(userId: number): void {
    options.loadFocus(userId).then(
      (focus) => {
        if (!connections.has(userId)) return;
        setFocus(userId, focus);
        schedule();
      },
      (error: unknown) => log.warn({ err: error }, 'could not load focus state'),
    );
  }

  /** This instance's users: once each, online if any of their sockets saw activity lately. */
  function localUsers(): OnlineUser[] {
    const byUser = new Map<number, OnlineUser>();
    const now = clock.now();
    nextIdleAt = Number.POSITIVE_INFINITY;
    for (const { user, lastActiveAt } of connections.all()) {
      const active = now - lastActiveAt < idleAfterMs;
      if (active) nextIdleAt = Math.min(nextIdleAt, lastActiveAt + idleAfterMs);
      const known = byUser.get(user.id);
      if (known === undefined) {
        byUser.set(user.id, {
          id: user.id,
          username: user.username,
          display_name: user.displayName,
          status: active ? 'online' : 'idle',
          focusing: focusStates.get(user.id)?.focusing ?? null,
          quiet: focusStates.get(user.id)?.quiet ?? false,
        });
      } else if (active) {
        known.status = 'online';
      }
    }
    return [...byUser.values()];
  }

  /** Publishes this instance's users when they changed, and tells every instance to re-read. */
  async function sync(): Promise<void> {
    const mine = localUsers();
    const key = JSON.stringify(mine);
    if (key === published) return;
    published = key;
    await store.publish(mine);
    bus.publish({ kind: 'presence-changed' });
  }

  /** Everyone's presence, read again; the read started last wins. */
  async function readEveryone(): Promise<OnlineUser[]> {
    const ticket = ++reads;
    const online = await store.list();
    if (ticket > lastRead) {
      lastRead = ticket;
      everyone = online;
    }
    return online;
  }

  /**
   * At most one update per window, whatever number of changes asked for it. The first change after a
   * quiet window goes out at once (a hello waits for it), the next ones with the window's end.
   */
  function schedule(): void {
    // After close(), the sockets' own close events must not publish this instance's users again.
    if (closed) return;
    timer ??= setTimeout(
      () => {
        timer = undefined;
        lastUpdateAt = performance.now();
        const waited = waiting;
        waiting = [];
        // One update at a time: each one's change is computed from what the previous one sent.
        flushing = flushing
          .then(flush)
          .catch((error: unknown) => log.warn({ err: error }, 'presence update failed'))
          .finally(() => {
            const view = sentView();
            for (const resolve of waited) resolve(view);
          });
      },
      Math.max(0, lastUpdateAt + windowMs() - performance.now()),
    );
  }

  /** How long an update waits after the previous one: in step with what an update costs here. */
  function windowMs(): number {
    return Math.min(coalesceMs, Math.max(connections.count(), everyone.length) * coalescePerSocketMs);
  }

  /** What this instance's sockets hold after the last update: the base of the next change. */
  function sentView(): PresenceView {
    return { online: sent, online_count: everyone.length };
  }

  /** Publishes this instance's changes, re-reads everyone, and tells this instance's sockets. */
  async function flush(): Promise<void> {
    await sync();
    const online = await readEveryone();
    const shown = online.slice(0, ONLINE_SHOWN);
    const change = presenceChange(sent, shown);
    const now = clock.now();
    const countDue = online.length !== sentCount && now - countSentAt >= countEveryMs;
    if (change === null && !countDue) {
      if (online.length !== sentCount) countTimer ??= setTimeout(countLater, countEveryMs - (now - countSentAt));
      return;
    }
    // A change of the count alone waits for `countEveryMs`; a change of the list carries it at once.
    if (online.length !== sentCount) countSentAt = now;
    sent = shown;
    sentCount = online.length;
    const delta = encodeEvent({
      type: 'presence.changed',
      ...(change ?? { set: [], removed: [] }),
      online_count: online.length,
    });
    // To everyone, newcomers too: applied to the list of their hello it changes nothing.
    connections.deliver({ kind: 'all' }, delta);
  }

  return {
    /** A socket was attached: it is counted with the next update, whose view its hello carries. */
    joined(connection: Connection): void {
      schedule();
      refreshFocus(connection.user.id);
    },

    left(connection: Connection): void {
      if (!connections.has(connection.user.id)) focusStates.delete(connection.user.id);
      schedule();
    },

    /** The user did something (not a heartbeat): they are online, not idle. */
    touch(connection: Connection): void {
      const now = clock.now();
      const wasIdle = now - connection.lastActiveAt >= idleAfterMs;
      connection.lastActiveAt = now;
      if (wasIdle) schedule();
    },

    focus(userId: number, focus: FocusState): void {
      if (!connections.has(userId)) return;
      setFocus(userId, focus);
      schedule();
    },

    /** The user's names changed: their sockets here show the new ones, and their focus is read again. */
    renamed(userId: number, username: string | null, displayName: string): void {
      if (!connections.has(userId)) return;
      for (const { user } of connections.all()) {
        if (user.id !== userId) continue;
        user.username = username;
        user.displayName = displayName;
      }
      schedule();
      refreshFocus(userId);
    },

    /** Another instance changed the shared presence (or a refresh is due): read it again. */
    changed(): void {
      schedule();
    },

    /** Publishes this instance's entry again even when unchanged (it expires otherwise). */
    refresh(): void {
      published = '';
      schedule();
    },

    /**
     * Every second: catches people going idle. Until the first of them can have, there is nothing to
     * do (activity since only moves that moment later): the list of everyone here is not rebuilt.
     */
    tick(): void {
      if (clock.now() < nextIdleAt) return;
      void sync().catch((error: unknown) => log.warn({ err: error }, 'presence update failed'));
    },

    /**
     * The view for a `hello`: what the sockets here hold after the next update, which counts the
     * new socket. Every hello of a connect wave shares the updates (each reading everyone itself
     * made a wave of N sockets cost N², mostly in this one core's CPU).
     */
    settle(): Promise<PresenceView> {
      if (closed) return Promise.resolve(sentView());
      return new Promise((resolve) => {
        waiting.push(resolve);
        schedule();
      });
    },

    /** Everyone connected to any instance, as last read. */
    everyone(): OnlineUser[] {
      return everyone;
    },

    /** Stops updating and takes this instance's users out of the shared presence. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      clearTimeout(countTimer);
      const view = sentView();
      for (const resolve of waiting) resolve(view);
      waiting = [];
      // The other instances drop this one's users now rather than when its key expires (after an
      // update in progress, which would publish them again).
      await flushing;
      await store.publish([]);
      bus.publish({ kind: 'presence-changed' });
    },
  };
}
