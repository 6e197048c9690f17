/** The `fanout.ts` baseline: a bare `ws` server relaying every frame, as it came, to every client. */
import { WebSocketServer, type RawData } from 'ws';
import { listening, type Baseline } from './listening.js';

export async function startRelay(maxPayload: number): Promise<Baseline> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload });
  wss.on('connection', (socket) => {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(data, { binary: isBinary });
    });
  });
  return listening(wss);
}
