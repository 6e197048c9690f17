import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** One connected client and what it received. */
export interface Client {
  ws: WebSocket;
  bytes: number;
  frames: number;
  closeCode?: number;
}

export interface ConnectOptions {
  /** Client i connects to `urls[i % urls.length]`: one URL, or one per instance. */
  urls: readonly string[];
  tokens: readonly (string | undefined)[];
  /** Handshakes in flight at once. */
  parallel: number;
  timeoutMs: number;
  /** Called once per event: an array frame is split into its events. */
  onFrame: (clientIndex: number, data: Buffer) => void;
}

/** Opens one socket per token (none: no Authorization header), `parallel` handshakes at a time. */
export async function connectClients(options: ConnectOptions): Promise<Client[]> {
  const clients: Client[] = new Array<Client>(options.tokens.length);
  let next = 0;
  const worker = async () => {
    while (next < options.tokens.length) {
      const index = next++;
      clients[index] = await connectOne(options, index);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.parallel }, worker));
  } catch (error) {
    terminateAll(clients);
    throw error;
  }
  return clients;
}

function connectOne(options: ConnectOptions, index: number): Promise<Client> {
  const token = options.tokens[index];
  const ws = new WebSocket(options.urls[index % options.urls.length] ?? '', {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
    handshakeTimeout: options.timeoutMs,
  });
  const client: Client = { ws, bytes: 0, frames: 0 };
  ws.on('message', (data: Buffer) => {
    client.bytes += data.length;
    client.frames += 1;
    // A frame is one event or an array of events in order (docs/websocket.md): one call per event.
    if (data[0] !== 0x5b) options.onFrame(index, data);
    else
      for (const event of JSON.parse(data.toString('utf8')) as unknown[])
        options.onFrame(index, Buffer.from(JSON.stringify(event)));
  });
  ws.on('close', (code) => (client.closeCode = code));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_request, response) => {
      ws.terminate();
      reject(new Error(`WebSocket handshake refused: HTTP ${response.statusCode}`));
    });
    ws.once('error', reject);
  });
}

/** Waits until no client received anything for `quietMs`, at most `maxMs`; true when it went quiet. */
export async function waitForQuiet(clients: readonly Client[], quietMs: number, maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let lastTotal = -1;
  let lastChange = performance.now();
  while (performance.now() < deadline) {
    const total = clients.reduce((sum, c) => sum + c.frames, 0);
    if (total !== lastTotal) {
      lastTotal = total;
      lastChange = performance.now();
    } else if (performance.now() - lastChange >= quietMs) {
      return true;
    }
    await sleep(50);
  }
  return false;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Closes every socket at once without a closing handshake. */
export function terminateAll(clients: readonly (Client | undefined)[]): void {
  for (const client of clients) client?.ws.terminate();
}
