import WebSocket from 'ws';
import type { OnlineUser, Reaction } from '../../src/protocol/chat.js';
import {
  decodeFrame,
  type AnyLiveEvent,
  type LiveEventOf,
  type LiveEventType,
  type ServerEvent,
} from '../../src/protocol/events.js';
import { applyPresenceChange } from '../../src/protocol/presence.js';
import { applyReactionsUpdate } from '../../src/protocol/reactions.js';

export interface TestSocket {
  ws: WebSocket;
  /**
   * Every event received so far, in order, as a page sees them (`src/web/lib/live.ts`): the whole
   * `presence` list after each `hello`, and a `presence.changed` applied to it and recorded as it.
   */
  events: AnyLiveEvent[];
  /** Reactions per message id as a page shows them: counts from the events, `me` of this user. */
  reactions: Map<number, Reaction[]>;
  /**
   * Every event as it arrived, with its size in bytes; `batch` is how many events its frame held
   * (a frame is one event, or an array of events applied in order).
   */
  frames: { type: string; bytes: number; batch: number }[];
  /** The next event of this type (and matching `where`) not consumed yet; waits up to `timeoutMs`. */
  next<T extends LiveEventType>(
    type: T,
    where?: (e: LiveEventOf<T>) => boolean,
    timeoutMs?: number,
  ): Promise<LiveEventOf<T>>;
  send(event: object | string): void;
  /** Resolves with the close code once the server (or we) closed the socket. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export interface SocketOptions {
  token?: string;
  cookie?: string;
  origin?: string;
}

/** A real WebSocket client on `/ws`. Rejects with the HTTP status when the handshake is refused. */
export function openSocket(baseUrl: string, options: SocketOptions = {}): Promise<TestSocket> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/ws', { headers });
  const events: AnyLiveEvent[] = [];
  const frames: TestSocket['frames'] = [];
  const consumed = new Set<AnyLiveEvent>();
  const waiters = new Set<() => void>();
  let online: OnlineUser[] = [];
  let myId = 0;
  const reactions = new Map<number, Reaction[]>();
  const receive = (event: ServerEvent) => {
    if (event.type === 'hello') {
      myId = event.user.id;
      online = event.online;
    }
    if (event.type === 'reactions.updated') {
      reactions.set(event.id, applyReactionsUpdate(reactions.get(event.id) ?? [], event, myId));
    }
    if (event.type === 'presence.changed') {
      online = applyPresenceChange(online, event);
      events.push({ type: 'presence', online, online_count: event.online_count });
    } else {
      events.push(event);
      if (event.type === 'hello') events.push({ type: 'presence', online, online_count: event.online_count });
    }
  };
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    const received = decodeFrame(text);
    // An array frame's bytes are shared out among its events by the size of each.
    for (const event of received) {
      const bytes = received.length === 1 ? data.length : Buffer.byteLength(JSON.stringify(event));
      frames.push({ type: event.type, bytes, batch: text.startsWith('[') ? received.length : 1 });
    }
    received.forEach(receive);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );

  const socket: TestSocket = {
    ws,
    events,
    reactions,
    frames,
    closed,
    next(type, where, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(
            (e) => e.type === type && !consumed.has(e) && (where === undefined || where(e as LiveEventOf<typeof type>)),
          );
          if (found === undefined) return;
          consumed.add(found);
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found as LiveEventOf<typeof type>);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    send(event) {
      ws.send(typeof event === 'string' ? event : JSON.stringify(event));
    },
    async close() {
      if (ws.readyState === ws.CLOSED) return;
      ws.close();
      await closed;
    },
  };

  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_request, response) => {
      reject(new HandshakeRefused(response.statusCode ?? 0));
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

export class HandshakeRefused extends Error {
  constructor(readonly status: number) {
    super(`handshake refused with HTTP ${status}`);
  }
}
