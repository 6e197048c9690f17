/** The idle-socket baseline: a bare `ws` server that accepts sockets and holds them, nothing more. */
import { WebSocketServer } from 'ws';
import { listening, type Baseline } from './listening.js';

export async function startIdleHolder(maxPayload: number): Promise<Baseline> {
  return listening(new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload }));
}
