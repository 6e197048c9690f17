import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { OnlineUser, ServerEvent, TypingUser } from '../../protocol/chat.js';
import type { Audience, Bus, Focusing } from '../bus/bus.js';
import type { Clock } from '../context.js';

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
  alive: boolean;
  lastActiveAt: number;
  badFrames: number[];
}

export interface HubOptions {
  bus: Bus;
  clock: Clock;
  log: FastifyBaseLogger;
  /** The current token version of each of these users who is still enabled. */
  findActiveTokenVersions(userIds: number[]): Promise<Map<number, number>>;
  /** What presence shows of a newly connected user's focus timer. */
  loadFocus(userId: number): Promise<Focusing | null>;
  heartbeatMs?: number;
  idleAfterMs?: number;
  typingTtlMs?: number;
  /** A socket with more than this queued for sending is closed with 1013 (it reconnects and catches up). */
  maxBufferedBytes?: number;
}

export type Hub = ReturnType<typeof createHub>;

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** This process's sockets: delivers bus events to them, keeps presence and typing. */
export function createHub(options: HubOptions) {
  const { bus, clock, log } = options;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const idleAfterMs = options.idleAfterMs ?? 120_000;
  const typingTtlMs = options.typingTtlMs ?? 6_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 512 * 1024;

  const connections = new Map<WebSocket, Connection>();
  const typingUntil = new Map<number, number>();
  const focusing = new Map<number, Focusing>();
  let lastPresenceFrame = '';
  let lastTypingFrame = JSON.stringify({ type: 'typing', users: [] } satisfies ServerEvent);

  const unsubscribe = bus.subscribe((message) => {
    switch (message.kind) {
      case 'event':
        deliver(message.audience, message.frame);
        return;
      case 'sessions-revoked':
        closeUser(message.userId, CLOSE_POLICY, 'Session ended');
        return;
      case 'focus':
        setFocus(message.userId, message.focusing);
        publishPresenceIfChanged();
        return;
      case 'sharing-changed':
        if ([...connections.values()].some((c) => c.user.id === message.userId)) refreshFocus(message.userId);
        return;
    }
  });

  const ticker = setInterval(() => {
    expireTyping();
    publishPresenceIfChanged();
  }, 1_000);
  const heartbeat = setInterval(() => void checkPulse(), heartbeatMs);
  ticker.unref();
  heartbeat.unref();

  function deliver(audience: Audience, frame: string): void {
    for (const connection of connections.values()) {
      if (audience.kind === 'all' || connection.user.id === audience.userId) sendFrame(connection, frame);
    }
  }

  function sendFrame(connection: Connection, frame: string): void {
    const { socket } = connection;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > maxBufferedBytes) {
      log.warn({ userId: connection.user.id }, 'websocket too slow: closing it');
      socket.close(CLOSE_TRY_AGAIN_LATER, 'Too slow: reconnect and catch up');
      return;
    }
    socket.send(frame);
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
        if (![...connections.values()].some((c) => c.user.id === userId)) return;
        setFocus(userId, focus);
        publishPresenceIfChanged();
      },
      (error: unknown) => log.warn({ err: error }, 'could not load focus state'),
    );
  }

  function publish(event: ServerEvent): void {
    bus.publish({ kind: 'event', audience: { kind: 'all' }, frame: JSON.stringify(event) });
  }

  function onlineUsers(): OnlineUser[] {
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
    return [...byUser.values()].sort((a, b) => a.display_name.localeCompare(b.display_name));
  }

  function publishPresenceIfChanged(): void {
    const online = onlineUsers();
    const frame = JSON.stringify({ type: 'presence', online } satisfies ServerEvent);
    if (frame === lastPresenceFrame) return;
    lastPresenceFrame = frame;
    publish({ type: 'presence', online });
  }

  function typingUsers(): TypingUser[] {
    const names = new Map([...connections.values()].map((c) => [c.user.id, c.user.displayName]));
    return [...typingUntil.keys()].flatMap((id) => {
      const name = names.get(id);
      return name === undefined ? [] : [{ id, display_name: name }];
    });
  }

  function publishTypingIfChanged(): void {
    const users = typingUsers();
    const frame = JSON.stringify({ type: 'typing', users } satisfies ServerEvent);
    if (frame === lastTypingFrame) return;
    lastTypingFrame = frame;
    publish({ type: 'typing', users });
  }

  function expireTyping(): void {
    const now = clock.now();
    for (const [id, until] of typingUntil) if (until <= now) typingUntil.delete(id);
    publishTypingIfChanged();
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
    // A user disabled or logged out from another process (e.g. the users command) is caught here.
    const userIds = [...new Set([...connections.values()].map((c) => c.user.id))];
    if (userIds.length === 0) return;
    try {
      const versions = await options.findActiveTokenVersions(userIds);
      for (const { user, socket } of connections.values()) {
        if (versions.get(user.id) !== user.tokenVersion) socket.close(CLOSE_POLICY, 'Session ended');
      }
    } catch (error) {
      log.warn({ err: error }, 'could not re-check websocket sessions');
    }
  }

  return {
    attach(socket: WebSocket, user: HubUser): Connection {
      const connection: Connection = { socket, user, alive: true, lastActiveAt: clock.now(), badFrames: [] };
      connections.set(socket, connection);
      socket.on('pong', () => (connection.alive = true));
      socket.on('close', () => {
        connections.delete(socket);
        if (![...connections.values()].some((c) => c.user.id === user.id)) {
          typingUntil.delete(user.id);
          focusing.delete(user.id);
        }
        publishPresenceIfChanged();
        publishTypingIfChanged();
      });
      publishPresenceIfChanged();
      refreshFocus(user.id);
      return connection;
    },

    /** The user did something (not a heartbeat): they are online, not idle. */
    touch(connection: Connection): void {
      connection.lastActiveAt = clock.now();
      publishPresenceIfChanged();
    },

    setTyping(userId: number): void {
      typingUntil.set(userId, clock.now() + typingTtlMs);
      publishTypingIfChanged();
    },

    /** A frame for this socket alone (hello, ack, error, pong). */
    sendTo(connection: Connection, event: ServerEvent): void {
      sendFrame(connection, JSON.stringify(event));
    },

    onlineUsers,

    get socketCount(): number {
      return connections.size;
    },

    /** Stops the timers and closes every socket with 1001 (server going away). */
    close(): void {
      clearInterval(ticker);
      clearInterval(heartbeat);
      unsubscribe();
      for (const { socket } of connections.values()) socket.close(CLOSE_GOING_AWAY, 'Server shutting down');
    },
  };
}
