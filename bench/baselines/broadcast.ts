/**
 * The issue-10 fan-out baseline: a bare `ws` server that turns each `message.send` into one
 * `message.created` frame, serialized once, and sends that frame to every open socket. No
 * authentication, no database, no presence: the least a chat server can do per delivery.
 */
import { WebSocketServer } from 'ws';
import { listening, type Baseline } from './listening.js';

export async function startBroadcast(maxPayload: number): Promise<Baseline> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload });
  let lastId = 0;
  wss.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const sent = JSON.parse(data.toString('utf8')) as { type?: string; content?: string; client_id?: string };
      if (sent.type !== 'message.send') return;
      const frame = JSON.stringify({
        type: 'message.created',
        message: {
          id: ++lastId,
          content: sent.content,
          client_id: sent.client_id,
          created_at: new Date().toISOString(),
        },
      });
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame);
    });
  });
  return listening(wss);
}
