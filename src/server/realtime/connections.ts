import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Role } from '../../protocol/auth.js';
import type { EventOf, ServerEvent } from '../../protocol/events.js';
import type { Audience } from '../bus/bus.js';
import type { Clock } from '../context.js';
import { Counts } from './counts.js';
import { encodeEvent, textFrame } from './emit.js';

export interface HubUser {
  id: number;
  username: string | null;
  displayName: string;
  role: Role;
  /** The token version the socket was opened with; a newer one in the database means revoked. */
  tokenVersion: number;
}

export interface Connection {
  readonly socket: WebSocket;
  readonly user: HubUser;
  /** The client's address (IPv6 by /64), for the per-address cap. */
  readonly address: string;
  alive: boolean;
  /** Which of the heartbeat's PULSE_SLICES turns visits this socket. */
  readonly pulseSlice: number;
  lastActiveAt: number;
  /** When its recent bad frames came (null until the first one). */
  badFrames: number[] | null;
  /** What came for it before its `hello`, sent right after it (null once greeted). */
  held: { frames: Buffer[]; bytes: number } | null;
}

/** Who one queued event is for: a bus audience on this instance, or one socket. */
export type Recipient = Audience | Connection;

export interface ConnectionsOptions {
  clock: Clock;
  log: FastifyBaseLogger;
  /** The current token version and role of each of these users who is still enabled. */
  findActiveSessions(userIds: number[]): Promise<Map<number, { tokenVersion: number; role: Role }>>;
  /** A socket left (any reason): presence and typing forget it. */
  onClose(connection: Connection): void;
  heartbeatMs?: number;
  /** A socket with more than this queued for sending is closed with 1013 (it reconnects and catches up). */
  maxBufferedBytes?: number;
  /** Events of one tick for one socket share a frame up to this size; a bigger event travels alone. */
  maxBatchBytes?: number;
  /** Open sockets allowed on this instance per person and per address; more are refused. */
  maxSocketsPerUser: number;
  maxSocketsPerAddress: number;
}

export type Connections = ReturnType<typeof createConnections>;

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;
export const CLOSE_INTERNAL_ERROR = 1011;
export const CLOSE_SERVICE_RESTART = 1012;
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const TOO_MANY_CONNECTIONS = 'too_many_connections';

/**
 * The heartbeat visits the sockets in this many turns of its period, each socket once a period:
 * 10,000 pings (and their pongs, and the session re-check) never leave together and hold the loop.
 */
const PULSE_SLICES = 30;

/**
 * This process's sockets: the caps, delivery (events of one tick go out as one frame per socket,
 * built once, header and all, for every socket that gets the same ones), back-pressure, one shared heartbeat and
 * the periodic session re-check.
 */
export function createConnections(options: ConnectionsOptions) {
  const { clock, log } = options;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 512 * 1024;
  const maxBatchBytes = options.maxBatchBytes ?? 64 * 1024;
  const open = new Map<WebSocket, Connection>();
  const perUser = new Counts<number>();
  const perAddress = new Counts<string>();
  /** Events queued this tick, in order, with whom each is for. */
  let queued: { to: Recipient; frame: string }[] = [];
  let flushScheduled = false;
  let attachedCount = 0;

  let pulseTurn = 0;
  const heartbeat = setInterval(() => void checkPulse(pulseTurn++ % PULSE_SLICES), heartbeatMs / PULSE_SLICES);
  heartbeat.unref();

  // Shared by every socket (`this` is the socket): no closures per connection.
  function onPong(this: WebSocket): void {
    const connection = open.get(this);
    if (connection !== undefined) connection.alive = true;
  }
  function onClose(this: WebSocket): void {
    const connection = open.get(this);
    if (connection === undefined) return;
    open.delete(this);
    perUser.remove(connection.user.id);
    perAddress.remove(connection.address);
    options.onClose(connection);
  }

  function reaches(to: Recipient, connection: Connection): boolean {
    if ('socket' in to) return to === connection;
    if (to.kind === 'all') return true;
    if (to.kind === 'admins') return connection.user.role === 'admin';
    return connection.user.id === to.userId;
  }

  function queue(to: Recipient, frame: string): void {
    queued.push({ to, frame });
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  }

  /** Sends this tick's events: each socket gets those for it, in order, as few frames as the bound allows. */
  function flush(): void {
    flushScheduled = false;
    const batch = queued;
    queued = [];
    // Events for one socket are found by socket, not by scanning the batch once per socket.
    const shared: number[] = [];
    const direct = new Map<Connection, number[]>();
    batch.forEach(({ to }, i) => {
      if (!('socket' in to)) shared.push(i);
      else if (direct.has(to)) direct.get(to)!.push(i);
      else direct.set(to, [i]);
    });
    // The usual tick: events for everyone, and perhaps an answer to the one socket that asked (the
    // sender's ack). The sockets with nothing of their own share one set of frames, built once.
    const sharedByAll = shared.every((i) => {
      const { to } = batch[i]!;
      return !('socket' in to) && to.kind === 'all';
    });
    let sharedFrames: Buffer[] | undefined;
    // Sockets that get the same events share the same encoded frames.
    const byPick = new Map<string, Buffer[]>();
    for (const connection of open.values()) {
      const own = direct.get(connection);
      if (own === undefined && sharedByAll) {
        if (shared.length === 0) continue;
        sharedFrames ??= framesOf(shared.map((i) => batch[i]!.frame));
        sendFrames(connection, sharedFrames);
        continue;
      }
      const mine = own ?? [];
      const picks: number[] = [];
      let o = 0;
      for (const i of shared) {
        while (o < mine.length && mine[o]! < i) picks.push(mine[o++]!);
        if (reaches(batch[i]!.to, connection)) picks.push(i);
      }
      while (o < mine.length) picks.push(mine[o++]!);
      if (picks.length === 0) continue;
      const key = picks.join(',');
      let frames = byPick.get(key);
      if (frames === undefined) {
        frames = framesOf(picks.map((i) => batch[i]!.frame));
        byPick.set(key, frames);
      }
      sendFrames(connection, frames);
    }
  }

  /** One event alone, or several as a JSON array, each frame at most `maxBatchBytes` (unless one event is bigger). */
  function framesOf(events: readonly string[]): Buffer[] {
    if (events.length === 1) return [textFrame(events[0]!)];
    const frames: Buffer[] = [];
    let group: string[] = [];
    let size = 0;
    const close = () => {
      if (group.length === 1) frames.push(textFrame(group[0]!));
      else if (group.length > 1) frames.push(textFrame(`[${group.join(',')}]`));
      group = [];
      size = 0;
    };
    for (const event of events) {
      if (group.length > 0 && size + event.length + 1 > maxBatchBytes) close();
      group.push(event);
      size += event.length + 1;
    }
    close();
    return frames;
  }

  /**
   * Writes the prebuilt frames to the socket's TCP stream (or holds them until its `hello`); a
   * socket too far behind is closed with 1013.
   */
  function sendFrames(connection: Connection, frames: readonly Buffer[]): void {
    const { socket, held } = connection;
    if (held !== null) {
      for (const frame of frames) {
        held.frames.push(frame);
        held.bytes += frame.length;
      }
      if (held.bytes > maxBufferedBytes) tooSlow(connection);
      return;
    }
    const stream = streamOf(socket);
    for (const frame of frames) {
      if (socket.readyState !== socket.OPEN) return;
      if (stream.writableLength > maxBufferedBytes) {
        tooSlow(connection);
        return;
      }
      stream.write(frame);
    }
  }

  function tooSlow(connection: Connection): void {
    log.warn({ userId: connection.user.id }, 'websocket too slow: closing it');
    connection.socket.close(CLOSE_TRY_AGAIN_LATER, 'Too slow: reconnect and catch up');
  }

  /** Pings this turn's sockets (ending those that did not answer the last ping) and re-checks their sessions. */
  async function checkPulse(slice: number): Promise<void> {
    const userIds = new Set<number>();
    for (const connection of open.values()) {
      if (connection.pulseSlice !== slice) continue;
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      userIds.add(connection.user.id);
    }
    // A user disabled, logged out or given another role from another process (the users command
    // without Redis) is caught here.
    if (userIds.size === 0) return;
    try {
      const sessions = await options.findActiveSessions([...userIds]);
      // All of a checked person's sockets here, whichever turn they belong to.
      for (const { user, socket } of open.values()) {
        if (!userIds.has(user.id)) continue;
        const session = sessions.get(user.id);
        if (session?.tokenVersion !== user.tokenVersion) socket.close(CLOSE_POLICY, 'Session ended');
        else if (session.role !== user.role) changeRole(user.id, session.role);
      }
    } catch (error) {
      log.warn({ err: error }, 'could not re-check websocket sessions');
    }
  }

  /** The user's sockets take the new role (admins' events follow it) and are told (`role.changed`). */
  function changeRole(userId: number, role: Role): void {
    for (const { user } of open.values()) if (user.id === userId) user.role = role;
    deliver({ kind: 'user', userId }, encodeEvent({ type: 'role.changed', role }));
  }

  function deliver(to: Recipient, frame: string): void {
    queue(to, frame);
  }

  return {
    /** False when this person or address already holds as many sockets as allowed here. */
    admits(userId: number, address: string): boolean {
      return perUser.of(userId) < options.maxSocketsPerUser && perAddress.of(address) < options.maxSocketsPerAddress;
    },

    /**
     * Keeps the socket (what comes for it waits for its `hello`: see `greet`), or closes it with
     * 1008 `too_many_connections` (and returns undefined) when parallel handshakes got past
     * `admits` together.
     */
    attach(socket: WebSocket, user: HubUser, address: string): Connection | undefined {
      if (!this.admits(user.id, address)) {
        socket.close(CLOSE_POLICY, TOO_MANY_CONNECTIONS);
        return undefined;
      }
      const connection: Connection = {
        socket,
        user,
        address,
        alive: true,
        pulseSlice: attachedCount++ % PULSE_SLICES,
        lastActiveAt: clock.now(),
        badFrames: null,
        held: { frames: [], bytes: 0 },
      };
      open.set(socket, connection);
      perUser.add(user.id);
      perAddress.add(address);
      socket.on('pong', onPong);
      socket.on('close', onClose);
      return connection;
    },

    /** Queues a serialized event for its recipients here; it leaves with this tick's other events. */
    deliver,

    /**
     * Sends the socket its `hello` now, as its first frame, then what came for it meanwhile: events
     * emitted while the hello was being made are neither lost nor ahead of it.
     */
    greet(connection: Connection, hello: EventOf<'hello'>): void {
      const { held } = connection;
      if (held === null) return;
      connection.held = null;
      sendFrames(connection, [textFrame(encodeEvent(hello)), ...held.frames]);
    },

    /** An event for one socket (ack, error, pong), in order with the tick's other events. */
    send(connection: Connection, event: ServerEvent): void {
      queue(connection, encodeEvent(event));
    },

    changeRole,

    /** True while this person has a socket here. */
    has(userId: number): boolean {
      return perUser.of(userId) > 0;
    },

    /** How many sockets are open here. */
    count(): number {
      return open.size;
    },

    all(): IterableIterator<Connection> {
      return open.values();
    },

    closeUser(userId: number, code: number, reason: string): void {
      for (const connection of open.values()) {
        if (connection.user.id === userId) connection.socket.close(code, reason);
      }
    },

    closeAll(code: number, reason: string): void {
      for (const { socket } of open.values()) socket.close(code, reason);
    },

    /** Stops the heartbeat and closes every socket with 1001 (server going away). */
    close(): void {
      clearInterval(heartbeat);
      this.closeAll(CLOSE_GOING_AWAY, 'Server shutting down');
    },
  };
}

/**
 * The TCP stream under a WebSocket. `ws` has no public call to write a prebuilt frame; with
 * permessage-deflate off its own sender writes its frames (ping, pong, close) to this stream at
 * once, so frames written here keep their order with them.
 */
function streamOf(socket: WebSocket): Duplex {
  return (socket as unknown as { _socket: Duplex })._socket;
}
