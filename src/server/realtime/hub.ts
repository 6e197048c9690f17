import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Role } from '../../protocol/auth.js';
import type { EventOf, ServerEvent } from '../../protocol/events.js';
import type { Bus, FocusState } from '../bus/bus.js';
import type { Clock } from '../context.js';
import {
  CLOSE_POLICY,
  CLOSE_SERVICE_RESTART,
  createConnections,
  type Connection,
  type HubUser,
} from './connections.js';
import { encodeEvent } from './emit.js';
import { createPresence } from './presence.js';
import type { PresenceStore } from './presence-store.js';
import { createTyping } from './typing.js';

export interface HubOptions {
  bus: Bus;
  presence: PresenceStore;
  clock: Clock;
  log: FastifyBaseLogger;
  findActiveSessions(userIds: number[]): Promise<Map<number, { tokenVersion: number; role: Role }>>;
  loadFocus(userId: number): Promise<FocusState>;
  /** The id of the last message stored before that instant, for `resync`. */
  lastMessageIdBefore(epochMs: number): Promise<number>;
  /** The name the chat shows for a person (display name, else username). */
  shownName(displayName: string | null, username: string | null): string;
  heartbeatMs?: number;
  idleAfterMs?: number;
  typingTtlMs?: number;
  /** How often this instance refreshes its shared presence and re-reads everyone's. */
  presenceRefreshMs?: number;
  presenceCoalesceMs?: number;
  maxBufferedBytes?: number;
  maxSocketsPerUser: number;
  maxSocketsPerAddress: number;
}

export type Hub = ReturnType<typeof createHub>;

/**
 * This process's real-time edge: routes the bus to its three parts — the sockets
 * (`connections.ts`), presence (`presence.ts`) and typing (`typing.ts`) — and ticks them.
 */
export function createHub(options: HubOptions) {
  const { bus, log } = options;
  const presenceRefreshMs = options.presenceRefreshMs ?? 10_000;
  const connections = createConnections({
    ...options,
    onClose(connection) {
      if (!connections.has(connection.user.id)) typing.left(connection.user);
      presence.left(connection);
    },
  });
  const typing = createTyping({
    bus,
    clock: options.clock,
    ttlMs: options.typingTtlMs,
    deliverToAll: (frame) => connections.deliver({ kind: 'all' }, frame),
  });
  const presence = createPresence({
    bus,
    store: options.presence,
    clock: options.clock,
    log,
    connections,
    loadFocus: (userId) => options.loadFocus(userId),
    idleAfterMs: options.idleAfterMs,
    coalesceMs: options.presenceCoalesceMs,
  });

  const unsubscribe = bus.subscribe((message) => {
    switch (message.kind) {
      case 'event':
        connections.deliver(message.audience, message.frame);
        return;
      case 'sessions-revoked':
        connections.closeUser(message.userId, CLOSE_POLICY, 'Session ended');
        return;
      case 'role-changed':
        connections.changeRole(message.userId, message.role);
        return;
      case 'focus':
        presence.focus(message.userId, message);
        return;
      case 'profile-changed':
        presence.renamed(message.userId, message.username, options.shownName(message.displayName, message.username));
        return;
      case 'presence-changed':
        presence.changed();
        return;
      case 'typing':
        typing.heard(message);
        return;
      case 'jobs-due': // the scheduler's (src/server/scheduler)
        return;
      case 'resync':
        presence.refresh();
        void askToCatchUp(message.since);
        return;
    }
  });

  let tick = 0;
  const ticker = setInterval(() => {
    tick += 1;
    typing.expire();
    // Refreshes this instance's entry before it expires, and re-reads everyone's; else catches
    // people going idle (a change is published and read back by every instance).
    if ((tick * 1_000) % presenceRefreshMs === 0) presence.refresh();
    else presence.tick();
  }, 1_000);
  ticker.unref();

  /** Events were lost while the bus was away: clients fetch again what was stored since then. */
  async function askToCatchUp(since: number): Promise<void> {
    try {
      const after = await options.lastMessageIdBefore(since);
      connections.deliver({ kind: 'all' }, encodeEvent({ type: 'resync', after }));
    } catch (error) {
      log.warn({ err: error }, 'resync failed: closing sockets so clients reconnect');
      connections.closeAll(CLOSE_SERVICE_RESTART, 'Reconnect and catch up');
    }
  }

  return {
    admits: (userId: number, address: string) => connections.admits(userId, address),

    attach(socket: WebSocket, user: HubUser, address: string): Connection | undefined {
      const connection = connections.attach(socket, user, address);
      if (connection !== undefined) presence.joined(connection);
      return connection;
    },

    settle: () => presence.settle(),
    /** The socket's first frame; what came for it meanwhile follows. */
    greet: (connection: Connection, hello: EventOf<'hello'>) => connections.greet(connection, hello),
    touch: (connection: Connection) => presence.touch(connection),
    setTyping: (user: HubUser) => typing.relay(user),

    /** An event for this socket alone (ack, error, pong). */
    sendTo: (connection: Connection, event: ServerEvent) => connections.send(connection, event),

    onlineUsers: () => presence.everyone(),

    /** Stops the timers, closes every socket with 1001 and takes this instance out of presence. */
    async close(): Promise<void> {
      clearInterval(ticker);
      unsubscribe();
      // Presence stops first: the sockets' own close events must not publish its users again.
      const leaving = presence.close();
      connections.close();
      await leaving;
    },
  };
}
