import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import type { OnlineUser } from '../../src/protocol/chat.js';
import { decodeFrame, type ServerEvent } from '../../src/protocol/events.js';
import { applyPresenceChange } from '../../src/protocol/presence.js';
import type { HubUser } from '../../src/server/realtime/connections.js';

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
    /** A real client of user `id`: every frame as it came, and the events in order. */
    async client(id: number): Promise<Client> {
      const ws = new WebSocket(`${url}/?user=${id}`);
      const client: Client = { ws, frames: [], events: [] };
      let online: OnlineUser[] = [];
      ws.on('message', (data: Buffer) => {
        client.frames.push(data.toString());
        for (const event of decodeFrame(data.toString())) {
          // A change is recorded as the whole view it leads to, as the pages see it.
          if (event.type === 'presence.changed') online = applyPresenceChange(online, event);
          else if (event.type === 'presence') online = event.online;
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
  frames: string[];
  /** In order; a `presence.changed` as the `presence` view it leads to. */
  events: ServerEvent[];
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
