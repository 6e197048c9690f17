/**
 * One process of WebSocket clients, driven by `fleet.ts` over IPC. A frame is one JSON event or a
 * JSON array of events, applied in order (docs/websocket.md). A `message.created` whose content
 * carries `#<seq> @<epoch ms>` (see `markedContent`) is a measured delivery: its latency is now
 * minus that send time, and (client, seq) is counted once, so losses and duplicates show.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { MessageList } from '../../src/protocol/chat.js';
import type { FleetReply, FleetRequest, WorkerStats } from './fleet.js';
import { eventsOf, readMark } from './fleet.js';

interface Socket {
  ws: WebSocket | undefined;
  /** The `Cookie` header of this client's session, as a signed-in page sends it. */
  credential: string;
  /** The highest message id this client received (live or by catch-up). */
  lastId: number;
  /** After a drop: the ids received since `cursor`, to check the catch-up. */
  held: Set<number> | undefined;
  cursor: number;
}

const epochNow = () => performance.timeOrigin + performance.now();

let sockets: Socket[] = [];
let localAddress = '127.0.0.1';
let stats = emptyStats(0);
let seen = new Uint8Array(0);
let latencies = new Float64Array(0);
let messages = 0;
let onDelivery: (() => void) | undefined;

function emptyStats(open: number): Omit<WorkerStats, 'latencies'> {
  return { bytes: 0, frames: 0, events: 0, hellos: 0, received: 0, duplicates: 0, open, closes: {}, errors: 0 };
}

function onEvent(index: number, socket: Socket, event: { type?: string; message?: { id: number; content: string } }) {
  stats.events += 1;
  if (event.type === 'hello') stats.hellos += 1;
  if (event.type === 'error') stats.errors += 1;
  if (event.type !== 'message.created' || event.message === undefined) return;
  const { id, content } = event.message;
  socket.lastId = Math.max(socket.lastId, id);
  if (socket.held !== undefined && id > socket.cursor) {
    socket.held.add(id);
    onDelivery?.();
  }
  const mark = readMark(content);
  if (mark === undefined || mark.seq >= messages) return;
  const slot = index * messages + mark.seq;
  if (seen[slot] === 1) {
    stats.duplicates += 1;
    return;
  }
  seen[slot] = 1;
  latencies[stats.received] = epochNow() - mark.sentAt;
  stats.received += 1;
}

function open(url: string, index: number, timeoutMs: number): Promise<void> {
  const socket = sockets[index];
  if (socket === undefined) return Promise.resolve();
  const ws = new WebSocket(url, {
    headers: { cookie: socket.credential },
    perMessageDeflate: false,
    handshakeTimeout: timeoutMs,
    localAddress,
  });
  socket.ws = ws;
  ws.on('message', (data: Buffer) => {
    stats.bytes += data.length;
    stats.frames += 1;
    for (const event of eventsOf(data.toString('utf8'))) onEvent(index, socket, event);
  });
  ws.on('close', (code) => {
    if (socket.ws === ws) stats.closes[code] = (stats.closes[code] ?? 0) + 1;
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => {
      ws.terminate();
      reject(new Error(`WebSocket handshake refused: HTTP ${response.statusCode}`));
    });
    ws.once('error', reject);
  });
}

/** Runs `work(i)` for i in [0, count), `parallel` at a time; the failures counted, the first kept. */
async function inParallel(count: number, parallel: number, work: (i: number) => Promise<void>) {
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await work(i).catch((error: unknown) => {
        failed += 1;
        firstError ??= String(error);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, count)) }, worker));
  return { failed, firstError };
}

function get(agent: http.Agent, url: string, credential: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { agent, localAddress, headers: { cookie: credential }, timeout: 30_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`timeout: GET ${url}`)));
    request.on('error', reject);
  });
}

/** The page's catch-up after a reconnect: `after=<cursor>` pages of 100 while `has_more`. */
async function catchUp(agent: http.Agent, baseUrl: string, socket: Socket): Promise<void> {
  let after = socket.cursor;
  for (let page = 0; page < 100; page++) {
    const { status, body } = await get(
      agent,
      `${baseUrl}/api/chat/messages?after=${after}&limit=100`,
      socket.credential,
    );
    if (status !== 200) throw new Error(`catch-up: HTTP ${status}`);
    const list = JSON.parse(body) as MessageList;
    for (const message of list.messages) socket.held?.add(message.id);
    after = list.messages.at(-1)?.id ?? after;
    // As the page: what it caught up with is where its next catch-up starts.
    socket.lastId = Math.max(socket.lastId, after);
    if (!list.has_more) return;
  }
}

function caughtUp(socket: Socket, upTo: number): boolean {
  return socket.held !== undefined && socket.held.size >= upTo - socket.cursor;
}

async function handle(request: FleetRequest): Promise<FleetReply> {
  switch (request.cmd) {
    case 'connect': {
      localAddress = request.localAddress;
      const start = sockets.length;
      sockets.push(
        ...request.credentials.map((credential) => ({
          ws: undefined,
          credential,
          lastId: 0,
          held: undefined,
          cursor: 0,
        })),
      );
      const started = performance.now();
      const result = await inParallel(request.credentials.length, request.parallel, (i) =>
        open(request.url, start + i, 30_000),
      );
      return { kind: 'connected', ms: performance.now() - started, ...result };
    }
    case 'measure': {
      messages = request.messages;
      stats = emptyStats(openCount());
      seen = new Uint8Array(sockets.length * messages);
      latencies = new Float64Array(sockets.length * messages);
      return { kind: 'ok' };
    }
    case 'stats':
      return {
        kind: 'stats',
        stats: {
          ...stats,
          open: openCount(),
          latencies: request.latencies ? latencies.slice(0, stats.received) : new Float64Array(0),
        },
      };
    case 'drop': {
      for (const socket of sockets.slice(0, request.count)) {
        socket.cursor = socket.lastId;
        socket.held = new Set();
        const { ws } = socket;
        socket.ws = undefined;
        ws?.terminate();
      }
      return { kind: 'ok' };
    }
    case 'rejoin': {
      const dropped = sockets.filter((s) => s.held !== undefined);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 6 * dropped.length });
      const started = performance.now();
      let last = started;
      const waitCaughtUp = (socket: Socket) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('not caught up within 120 s')), 120_000);
          const check = () => {
            if (!caughtUp(socket, request.upTo)) return;
            clearTimeout(timer);
            last = Math.max(last, performance.now());
            resolve();
          };
          waiters.add(check);
          check();
        });
      const waiters = new Set<() => void>();
      onDelivery = () => {
        for (const check of waiters) check();
      };
      const result = await inParallel(dropped.length, dropped.length, async (i) => {
        const socket = dropped[i];
        if (socket === undefined) return;
        await open(request.url, sockets.indexOf(socket), 30_000);
        await catchUp(agent, request.baseUrl, socket);
        onDelivery?.();
        await waitCaughtUp(socket);
      });
      onDelivery = undefined;
      agent.destroy();
      const missing = dropped.reduce((sum, s) => sum + Math.max(0, request.upTo - s.cursor - (s.held?.size ?? 0)), 0);
      const caught = dropped.filter((s) => caughtUp(s, request.upTo)).length;
      for (const socket of dropped) socket.held = undefined;
      return { kind: 'rejoined', ms: last - started, caughtUp: caught, missing, ...result };
    }
    case 'page-loads': {
      // A cold load of the chat page: its HTML, then the API calls its script makes first, in parallel.
      const times: number[] = [];
      const started = performance.now();
      const statuses: Record<string, number> = {};
      const count = (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);
      const result = await inParallel(request.credentials.length, request.credentials.length, async (i) => {
        const credential = request.credentials[i] ?? '';
        const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
        const t0 = performance.now();
        try {
          count((await get(agent, `${request.baseUrl}/chat`, credential)).status);
          const answers = await Promise.all(request.apiPaths.map((p) => get(agent, request.baseUrl + p, credential)));
          for (const answer of answers) count(answer.status);
          times.push(performance.now() - t0);
        } finally {
          agent.destroy();
        }
      });
      return { kind: 'page-loads', ms: performance.now() - started, times, statuses, ...result };
    }
    case 'close':
      for (const socket of sockets) socket.ws?.terminate();
      sockets = [];
      stats = emptyStats(0);
      latencies = new Float64Array(0);
      return { kind: 'ok' };
  }
}

function openCount(): number {
  return sockets.filter((s) => s.ws?.readyState === WebSocket.OPEN).length;
}

process.on('message', (message: { id: number; request: FleetRequest }) => {
  void handle(message.request).then(
    (reply) => process.send?.({ id: message.id, reply }),
    (error: unknown) => process.send?.({ id: message.id, reply: { kind: 'failed', error: String(error) } }),
  );
});
process.on('disconnect', () => process.exit(0));
