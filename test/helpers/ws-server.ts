import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import type { OnlineUser } from '../../src/protocol/chat.js';
import { decodeFrame, type AnyLiveEvent, type EventOf } from '../../src/protocol/events.js';
import { applyPresenceChange } from '../../src/protocol/presence.js';
import type { HubUser } from '../../src/server/realtime/connections.js';
import type { PresenceView } from '../../src/server/realtime/presence.js';

/** A `hello` for a socket of the part under test (the app's carries the real posting state and limits). */
export function helloFor(user: HubUser, view: PresenceView = { online: [], online_count: 0 }): EventOf<'hello'> {
  return {
    type: 'hello',
    user: { id: user.id, username: user.username, display_name: user.displayName, role: user.role },
    ...view,
    last_message_id: 0,
    server_time: new Date().toISOString(),
    posting: { slow_mode_seconds: 0, timed_out_until: null, next_post_at: null, slow_mode_exempt: false },
    limits: { edit_window_minutes: 15, max_run_hours: 12 },
  };
}

/** A plain `ws` server on a free port whose sockets the test hands to the part under test. */
export async function socketServer(onSocket: (socket: WebSocket, user: HubUser) => void) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    const id = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('user'));
    onSocket(socket, { id, username: `u${id}`, displayName: `User ${id}`, role: 'user', tokenVersion: 0 });
  });
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: Client[] = [];
  return {
    /** A real client of user `id`: its hello, then every frame as it came and the events in order. */
    async client(id: number): Promise<Client> {
      const ws = new WebSocket(`${url}/?user=${id}`);
      const client: Client = { ws, hello: undefined, frames: [], events: [] };
      let online: OnlineUser[] = [];
      ws.on('message', (data: Buffer) => {
        const received = decodeFrame(data.toString());
        const [first] = received;
        if (client.hello === undefined && received.length === 1 && first?.type === 'hello') {
          client.hello = first;
          online = first.online;
          return;
        }
        client.frames.push(data.toString());
        for (const event of received) {
          // A change is recorded as the whole view it leads to, as the pages see it.
          if (event.type === 'presence.changed') online = applyPresenceChange(online, event);
          client.events.push(
            event.type === 'presence.changed' ? { type: 'presence', online, online_count: event.online_count } : event,
          );
        }
      });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      clients.push(client);
      return client;
    },
    async close(): Promise<void> {
      for (const { ws } of clients) ws.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface Client {
  ws: WebSocket;
  /** Its first frame, when that was a hello alone (not in `frames` or `events`). */
  hello: EventOf<'hello'> | undefined;
  frames: string[];
  /** In order; a `presence.changed` as the `presence` view it leads to (from the hello's list). */
  events: AnyLiveEvent[];
}

const quiet = () => undefined;
/** A logger that says nothing (the parts log only what goes wrong). */
export const silentLog = {
  level: 'silent',
  fatal: quiet,
  error: quiet,
  warn: quiet,
  info: quiet,
  debug: quiet,
  trace: quiet,
  silent: quiet,
  child: () => silentLog,
} as unknown as FastifyBaseLogger;
