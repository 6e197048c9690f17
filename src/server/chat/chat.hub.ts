import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { OnlineUser, ServerEvent, TypingUser } from '../../protocol/chat.js';
import type { Audience, Bus, Focusing } from '../bus/bus.js';
import type { Clock } from '../context.js';
import { TYPING_EVERY_MS } from '../../protocol/chat-limits.js';
import { presenceChange } from '../../protocol/presence.js';
import { shownName } from './chat.service.js';
import type { PresenceStore } from './presence-store.js';
import { Counts } from './counts.js';

export interface HubUser {
  id: number;
  username: string | null;
  displayName: string;
  role: 'user' | 'admin';
  /** The token version the socket was opened with; a newer one in the database means revoked. */
  tokenVersion: number;
}

export interface Connection {
  readonly socket: WebSocket;
  readonly user: HubUser;
  /** The client's address (IPv6 by /64), for the per-address cap. */
  readonly address: string;
  alive: boolean;
  lastActiveAt: number;
  badFrames: number[];
}

export interface HubOptions {
  bus: Bus;
  presence: PresenceStore;
  clock: Clock;
  log: FastifyBaseLogger;
  /** The current token version and role of each of these users who is still enabled. */
  findActiveSessions(userIds: number[]): Promise<Map<number, { tokenVersion: number; role: HubUser['role'] }>>;
  /** What presence shows of a newly connected user's focus timer. */
  loadFocus(userId: number): Promise<Focusing | null>;
  /** The id of the last message stored before that instant, for `resync`. */
  lastMessageIdBefore(epochMs: number): Promise<number>;
  heartbeatMs?: number;
  idleAfterMs?: number;
  typingTtlMs?: number;
  /** How often this instance refreshes its shared presence and re-reads everyone's. */
  presenceRefreshMs?: number;
  /**
   * Presence changes within this window go out as one `presence` frame: a wave of N connections
   * then costs a few full lists per socket, not N (N² frames of up to N entries).
   */
  presenceCoalesceMs?: number;
  /** A socket with more than this queued for sending is closed with 1013 (it reconnects and catches up). */
  maxBufferedBytes?: number;
  /** Open sockets allowed on this instance per person and per address; more are refused. */
  maxSocketsPerUser: number;
  maxSocketsPerAddress: number;
}

export type Hub = ReturnType<typeof createHub>;

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;
export const CLOSE_SERVICE_RESTART = 1012;
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const TOO_MANY_CONNECTIONS = 'too_many_connections';

/**
 * This process's sockets: delivers bus events to them, and keeps presence (shared across
 * instances through the presence store) and typing (shared through the bus).
 */
export function createHub(options: HubOptions) {
  const { bus, clock, log, presence } = options;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const idleAfterMs = options.idleAfterMs ?? 120_000;
  const typingTtlMs = options.typingTtlMs ?? 6_000;
  const presenceRefreshMs = options.presenceRefreshMs ?? 10_000;
  const presenceCoalesceMs = options.presenceCoalesceMs ?? 250;
  const maxBufferedBytes = options.maxBufferedBytes ?? 512 * 1024;

  const connections = new Map<WebSocket, Connection>();
  const perUser = new Counts<number>();
  const perAddress = new Counts<string>();
  /** When each person here last had a `typing` relayed: at most one per TYPING_EVERY_MS reaches the bus. */
  const typingRelayed = new Map<number, number>();
  const typing = new Map<number, { until: number; name: string }>();
  const focusing = new Map<number, Focusing>();
  let published = '';
  /** Everyone online, as last read (by an update or a `hello`): what the REST figures show. */
  let everyone: OnlineUser[] = [];
  /** The online list this instance's sockets hold (except those in `joined`): the base of the next change. */
  let sent: OnlineUser[] = [];
  /** Sockets that connected since the last update: they get the whole list, the others a change. */
  const joined = new Set<Connection>();
  let flushing = Promise.resolve();
  let reads = 0;
  let lastRead = 0;
  let presenceTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let typingFrame = JSON.stringify({ type: 'typing', users: [] } satisfies ServerEvent);

  const unsubscribe = bus.subscribe((message) => {
    switch (message.kind) {
      case 'event':
        deliver(message.audience, message.frame);
        return;
      case 'sessions-revoked':
        closeUser(message.userId, CLOSE_POLICY, 'Session ended');
        return;
      case 'role-changed':
        changeRole(message.userId, message.role);
        return;
      case 'focus':
        if (!isHere(message.userId)) return;
        setFocus(message.userId, message.focusing);
        schedulePresence();
        return;
      case 'profile-changed':
        if (!isHere(message.userId)) return;
        for (const { user } of connections.values()) {
          if (user.id !== message.userId) continue;
          user.username = message.username;
          user.displayName = shownName(message.displayName, message.username);
        }
        schedulePresence();
        refreshFocus(message.userId);
        return;
      case 'presence-changed':
        schedulePresence();
        return;
      case 'typing':
        if (message.until > clock.now())
          typing.set(message.userId, { until: message.until, name: message.displayName });
        else typing.delete(message.userId);
        deliverTypingIfChanged();
        return;
      case 'resync':
        published = '';
        schedulePresence();
        void askToCatchUp(message.since);
        return;
      case 'jobs-due': // the scheduler's (src/server/scheduler)
        return;
    }
  });

  let tick = 0;
  const ticker = setInterval(() => {
    tick += 1;
    expireTyping();
    if ((tick * 1_000) % presenceRefreshMs === 0) {
      // Refreshes this instance's entry before it expires, and re-reads everyone's.
      published = '';
      schedulePresence();
    } else {
      // Catches people going idle; a change is published and read back by every instance.
      void syncPresence();
    }
  }, 1_000);
  const heartbeat = setInterval(() => void checkPulse(), heartbeatMs);
  ticker.unref();
  heartbeat.unref();

  /** Events were lost while the bus was away: clients fetch again what was stored since then. */
  async function askToCatchUp(since: number): Promise<void> {
    try {
      const after = await options.lastMessageIdBefore(since);
      deliverToAll(JSON.stringify({ type: 'resync', after } satisfies ServerEvent));
    } catch (error) {
      log.warn({ err: error }, 'resync failed: closing sockets so clients reconnect');
      for (const { socket } of connections.values()) socket.close(CLOSE_SERVICE_RESTART, 'Reconnect and catch up');
    }
  }

  function isHere(userId: number): boolean {
    return [...connections.values()].some((c) => c.user.id === userId);
  }

  function deliver(audience: Audience, frame: string): void {
    // Encoded to UTF-8 once here, not once per socket by `ws`.
    const data = Buffer.from(frame);
    for (const connection of connections.values()) {
      if (reaches(audience, connection.user)) sendFrame(connection, data);
    }
  }

  function reaches(audience: Audience, user: HubUser): boolean {
    if (audience.kind === 'all') return true;
    if (audience.kind === 'admins') return user.role === 'admin';
    return user.id === audience.userId;
  }

  /** The user's sockets take the new role (admins' events follow it) and are told (`role.changed`). */
  function changeRole(userId: number, role: HubUser['role']): void {
    for (const { user } of connections.values()) if (user.id === userId) user.role = role;
    deliver({ kind: 'user', userId }, JSON.stringify({ type: 'role.changed', role } satisfies ServerEvent));
  }

  function deliverToAll(frame: string): void {
    deliver({ kind: 'all' }, frame);
  }

  function sendFrame(connection: Connection, frame: string | Buffer): void {
    const { socket } = connection;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > maxBufferedBytes) {
      log.warn({ userId: connection.user.id }, 'websocket too slow: closing it');
      socket.close(CLOSE_TRY_AGAIN_LATER, 'Too slow: reconnect and catch up');
      return;
    }
    socket.send(frame, { binary: false });
  }

  function closeUser(userId: number, code: number, reason: string): void {
    for (const connection of connections.values()) {
      if (connection.user.id === userId) connection.socket.close(code, reason);
    }
  }

  function setFocus(userId: number, focus: Focusing | null): void {
    if (focus === null) focusing.delete(userId);
    else focusing.set(userId, focus);
  }

  function refreshFocus(userId: number): void {
    options.loadFocus(userId).then(
      (focus) => {
        if (!isHere(userId)) return;
        setFocus(userId, focus);
        schedulePresence();
      },
      (error: unknown) => log.warn({ err: error }, 'could not load focus state'),
    );
  }

  /** This instance's users: once each, online if any of their sockets saw activity lately. */
  function localUsers(): OnlineUser[] {
    const byUser = new Map<number, OnlineUser>();
    const now = clock.now();
    for (const { user, lastActiveAt } of connections.values()) {
      const active = now - lastActiveAt < idleAfterMs;
      const known = byUser.get(user.id);
      if (known === undefined) {
        byUser.set(user.id, {
          id: user.id,
          username: user.username,
          display_name: user.displayName,
          status: active ? 'online' : 'idle',
          focusing: focusing.get(user.id) ?? null,
        });
      } else if (active) {
        known.status = 'online';
      }
    }
    return [...byUser.values()];
  }

  /** Publishes this instance's users when they changed, and tells every instance to re-read. */
  async function syncPresence(): Promise<void> {
    const mine = localUsers();
    const key = JSON.stringify(mine);
    if (key === published) return;
    published = key;
    await presence.publish(mine);
    bus.publish({ kind: 'presence-changed' });
  }

  /** Everyone's presence, read again; the read started last wins. */
  async function readEveryone(): Promise<OnlineUser[]> {
    const ticket = ++reads;
    const online = await presence.list();
    if (ticket > lastRead) {
      lastRead = ticket;
      everyone = online;
    }
    return online;
  }

  /** At most one presence update per window, whatever number of changes asked for it. */
  function schedulePresence(): void {
    // After close(), the sockets' own close events must not publish this instance's users again.
    if (closed) return;
    presenceTimer ??= setTimeout(() => {
      presenceTimer = undefined;
      // One update at a time: each one's change is computed from what the previous one sent.
      flushing = flushing
        .then(flushPresence)
        .catch((error: unknown) => log.warn({ err: error }, 'presence update failed'));
    }, presenceCoalesceMs);
  }

  /**
   * Publishes this instance's changes, re-reads everyone, and tells this instance's sockets: the
   * whole list to those that just connected, only what changed to the others. Every person's
   * status change then costs each socket a few hundred bytes instead of the whole list.
   */
  async function flushPresence(): Promise<void> {
    await syncPresence();
    const online = await readEveryone();
    const change = presenceChange(sent, online);
    sent = online;
    const newcomers = new Set(joined);
    joined.clear();
    const whole = newcomers.size > 0 ? frameOf({ type: 'presence', online }) : undefined;
    const delta = change === null ? undefined : frameOf({ type: 'presence.changed', ...change });
    for (const connection of connections.values()) {
      const frame = newcomers.has(connection) ? whole : delta;
      if (frame !== undefined) sendFrame(connection, frame);
    }
  }

  function frameOf(event: ServerEvent): Buffer {
    return Buffer.from(JSON.stringify(event));
  }

  function deliverTypingIfChanged(): void {
    const users: TypingUser[] = [...typing].map(([id, { name }]) => ({ id, display_name: name }));
    const frame = JSON.stringify({ type: 'typing', users } satisfies ServerEvent);
    if (frame === typingFrame) return;
    typingFrame = frame;
    deliverToAll(frame);
  }

  function expireTyping(): void {
    const now = clock.now();
    for (const [id, { until }] of typing) if (until <= now) typing.delete(id);
    deliverTypingIfChanged();
  }

  async function checkPulse(): Promise<void> {
    for (const connection of connections.values()) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
    // A user disabled, logged out or given another role from another process (the users command
    // without Redis) is caught here.
    const userIds = [...new Set([...connections.values()].map((c) => c.user.id))];
    if (userIds.length === 0) return;
    try {
      const sessions = await options.findActiveSessions(userIds);
      for (const { user, socket } of connections.values()) {
        const session = sessions.get(user.id);
        if (session?.tokenVersion !== user.tokenVersion) socket.close(CLOSE_POLICY, 'Session ended');
        else if (session.role !== user.role) changeRole(user.id, session.role);
      }
    } catch (error) {
      log.warn({ err: error }, 'could not re-check websocket sessions');
    }
  }

  return {
    /** False when this person or address already holds as many sockets as allowed here. */
    admits(userId: number, address: string): boolean {
      return perUser.of(userId) < options.maxSocketsPerUser && perAddress.of(address) < options.maxSocketsPerAddress;
    },

    /**
     * Keeps the socket, or closes it with 1008 `too_many_connections` (and returns undefined) when
     * parallel handshakes got past `admits` together.
     */
    attach(socket: WebSocket, user: HubUser, address: string): Connection | undefined {
      if (!this.admits(user.id, address)) {
        socket.close(CLOSE_POLICY, TOO_MANY_CONNECTIONS);
        return undefined;
      }
      const connection: Connection = { socket, user, address, alive: true, lastActiveAt: clock.now(), badFrames: [] };
      connections.set(socket, connection);
      perUser.add(user.id);
      perAddress.add(address);
      socket.on('pong', () => (connection.alive = true));
      socket.on('close', () => {
        connections.delete(socket);
        perUser.remove(user.id);
        perAddress.remove(address);
        joined.delete(connection);
        if (!isHere(user.id)) {
          typingRelayed.delete(user.id);
          focusing.delete(user.id);
          if (typing.has(user.id))
            bus.publish({ kind: 'typing', userId: user.id, displayName: user.displayName, until: 0 });
        }
        schedulePresence();
      });
      joined.add(connection);
      schedulePresence();
      refreshFocus(user.id);
      return connection;
    },

    /**
     * Everyone online once this socket's user is counted: for the `hello` event. Published at once
     * (the other sockets hear of it with the next coalesced update).
     */
    async settle(): Promise<OnlineUser[]> {
      await syncPresence();
      return readEveryone();
    },

    /** The user did something (not a heartbeat): they are online, not idle. */
    touch(connection: Connection): void {
      const now = clock.now();
      const wasIdle = now - connection.lastActiveAt >= idleAfterMs;
      connection.lastActiveAt = now;
      if (wasIdle) schedulePresence();
    },

    /** Relays that the person types, at most once per TYPING_EVERY_MS: every relay is a bus publish. */
    setTyping(user: HubUser): void {
      const now = clock.now();
      const last = typingRelayed.get(user.id);
      if (last !== undefined && now - last < TYPING_EVERY_MS) return;
      typingRelayed.set(user.id, now);
      bus.publish({ kind: 'typing', userId: user.id, displayName: user.displayName, until: now + typingTtlMs });
    },

    /** A frame for this socket alone (hello, ack, error, pong). */
    sendTo(connection: Connection, event: ServerEvent): void {
      sendFrame(connection, JSON.stringify(event));
    },

    /** Everyone connected to any instance, as last read. */
    onlineUsers(): OnlineUser[] {
      return everyone;
    },

    /** Stops the timers and closes every socket with 1001 (server going away). */
    async close(): Promise<void> {
      closed = true;
      clearInterval(ticker);
      clearInterval(heartbeat);
      clearTimeout(presenceTimer);
      unsubscribe();
      for (const { socket } of connections.values()) socket.close(CLOSE_GOING_AWAY, 'Server shutting down');
      // The other instances drop this one's users now rather than when its key expires (after an
      // update in progress, which would publish them again).
      await flushing;
      await presence.publish([]);
      bus.publish({ kind: 'presence-changed' });
    },
  };
}
