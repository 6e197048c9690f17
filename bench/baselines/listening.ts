import type { WebSocketServer } from 'ws';

/** A baseline server, listening on 127.0.0.1 and a free port. */
export interface Baseline {
  port: number;
  close(): Promise<void>;
}

export async function listening(wss: WebSocketServer): Promise<Baseline> {
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const address = wss.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
