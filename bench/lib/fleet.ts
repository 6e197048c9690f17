/**
 * Many WebSocket clients, spread over several worker processes (`fleet-worker.ts`) pinned to the
 * load generators' CPU, each worker with a source address of its own (127.0.0.2, .3, …) so that
 * neither the 20,000 open files of a process nor the ephemeral ports of one address run out.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_CPU, pin } from './cpus.js';

export type FleetRequest =
  | { cmd: 'connect'; url: string; credentials: string[]; localAddress: string; parallel: number }
  /** Starts a measured phase of `messages` marked messages: counters and latencies from zero. */
  | { cmd: 'measure'; messages: number }
  /** The counters, with the latencies only when asked (they are large). */
  | { cmd: 'stats'; latencies: boolean }
  /** Closes this worker's first `count` sockets without a closing handshake, remembering where each was. */
  | { cmd: 'drop'; count: number }
  /** Reopens the dropped sockets all at once and catches each up to message id `upTo`. */
  | { cmd: 'rejoin'; url: string; baseUrl: string; upTo: number }
  /** Cold loads of the chat page, all at once: GET /chat, then `apiPaths` in parallel. */
  | { cmd: 'page-loads'; baseUrl: string; credentials: string[]; apiPaths: string[] }
  | { cmd: 'close' };

export interface WorkerStats {
  bytes: number;
  frames: number;
  events: number;
  hellos: number;
  /** Distinct (client, seq) deliveries of marked messages. */
  received: number;
  duplicates: number;
  errors: number;
  open: number;
  closes: Record<string, number>;
  latencies: Float64Array;
}

interface Spread {
  failed: number;
  firstError?: string;
}

export type FleetReply =
  | { kind: 'ok' }
  | { kind: 'failed'; error: string }
  | ({ kind: 'connected'; ms: number } & Spread)
  | { kind: 'stats'; stats: WorkerStats }
  | ({ kind: 'rejoined'; ms: number; caughtUp: number; missing: number } & Spread)
  | ({ kind: 'page-loads'; ms: number; times: number[]; statuses: Record<string, number> } & Spread);

type ReplyOf<K extends FleetReply['kind']> = Extract<FleetReply, { kind: K }>;

/** The events of one frame: a JSON event, or a JSON array of events to apply in order. */
export function eventsOf(text: string): { type?: string; message?: { id: number; content: string } }[] {
  const value = JSON.parse(text) as unknown;
  return (Array.isArray(value) ? value : [value]) as { type?: string; message?: { id: number; content: string } }[];
}

const MARK = /#(\d+) @(\d+(?:\.\d+)?)/;

/** A message of exactly `bytes` characters that carries its sequence number and its send time (epoch ms). */
export function markedContent(seq: number, sentAt: number, bytes: number): string {
  const head = `bench #${seq} @${sentAt.toFixed(3)} `;
  return head.padEnd(bytes, 'x').slice(0, Math.max(bytes, head.length));
}

export function readMark(content: string): { seq: number; sentAt: number } | undefined {
  const match = MARK.exec(content);
  return match === null ? undefined : { seq: Number(match[1]), sentAt: Number(match[2]) };
}

/** The epoch in ms with sub-millisecond precision, comparable between processes of one machine. */
export const epochNow = () => performance.timeOrigin + performance.now();

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fleet-worker.ts');
const REPLY_TIMEOUT_MS = 300_000;

export interface Fleet {
  workers: number;
  /** Opens one socket per credential (a `Cookie` header), spread over the workers in blocks. */
  connect(url: string, credentials: readonly string[], parallelPerWorker: number): Promise<{ ms: number } & Spread>;
  measure(messages: number): Promise<void>;
  /** Every worker's counters added up, and (when asked) their latencies together. */
  stats(latencies?: boolean): Promise<WorkerStats>;
  drop(count: number): Promise<void>;
  rejoin(
    url: string,
    baseUrl: string,
    upTo: number,
  ): Promise<{ ms: number; caughtUp: number; missing: number } & Spread>;
  pageLoads(
    baseUrl: string,
    credentials: readonly string[],
    apiPaths: string[],
  ): Promise<{ ms: number; times: number[]; statuses: Record<string, number> } & Spread>;
  /** Closes every socket, keeping the workers. */
  closeSockets(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFleet(workers: number): Promise<Fleet> {
  const children: ChildProcess[] = [];
  const pending = new Map<number, (reply: FleetReply) => void>();
  let nextId = 0;
  for (let w = 0; w < workers; w++) {
    const child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    pin(child.pid ?? 0, LOAD_CPU);
    child.on('message', (message: { id: number; reply: FleetReply }) => {
      pending.get(message.id)?.(message.reply);
      pending.delete(message.id);
    });
    children.push(child);
  }

  function ask<K extends FleetReply['kind']>(w: number, request: FleetRequest, kind: K): Promise<ReplyOf<K>> {
    const child = children[w];
    if (child === undefined) throw new Error(`no worker ${w}`);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`fleet worker ${w} did not answer ${request.cmd} within ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.kind === kind) resolve(reply as ReplyOf<K>);
        else
          reject(new Error(`fleet worker ${w}, ${request.cmd}: ${reply.kind === 'failed' ? reply.error : reply.kind}`));
      });
      child.send({ id, request });
    });
  }
  const all = <K extends FleetReply['kind']>(request: (w: number) => FleetRequest, kind: K) =>
    Promise.all(children.map((_, w) => ask(w, request(w), kind)));
  /** The w-th of `workers` nearly equal blocks of the items. */
  const block = <T>(items: readonly T[], w: number) => {
    const size = Math.ceil(items.length / workers);
    return items.slice(w * size, (w + 1) * size);
  };
  const spread = (replies: readonly Spread[]): Spread => {
    const firstError = replies.find((r) => r.firstError !== undefined)?.firstError;
    return {
      failed: replies.reduce((sum, r) => sum + r.failed, 0),
      ...(firstError === undefined ? {} : { firstError }),
    };
  };
  const localAddress = (w: number) => `127.0.0.${2 + w}`;

  return {
    workers,
    async connect(url, credentials, parallel) {
      const replies = await all(
        (w) => ({ cmd: 'connect', url, credentials: block(credentials, w), localAddress: localAddress(w), parallel }),
        'connected',
      );
      return { ms: Math.max(...replies.map((r) => r.ms)), ...spread(replies) };
    },
    async measure(messages) {
      await all(() => ({ cmd: 'measure', messages }), 'ok');
    },
    async stats(latencies = false) {
      const replies = await all(() => ({ cmd: 'stats', latencies }), 'stats');
      const sum = (key: 'bytes' | 'frames' | 'events' | 'hellos' | 'received' | 'duplicates' | 'errors' | 'open') =>
        replies.reduce((total, r) => total + r.stats[key], 0);
      const closes: Record<string, number> = {};
      for (const { stats } of replies) {
        for (const [code, n] of Object.entries(stats.closes)) closes[code] = (closes[code] ?? 0) + n;
      }
      const together = new Float64Array(replies.reduce((n, r) => n + r.stats.latencies.length, 0));
      let at = 0;
      for (const { stats } of replies) {
        together.set(stats.latencies, at);
        at += stats.latencies.length;
      }
      return {
        bytes: sum('bytes'),
        frames: sum('frames'),
        events: sum('events'),
        hellos: sum('hellos'),
        received: sum('received'),
        duplicates: sum('duplicates'),
        errors: sum('errors'),
        open: sum('open'),
        closes,
        latencies: together,
      };
    },
    async drop(count) {
      const per = Math.ceil(count / workers);
      await all((w) => ({ cmd: 'drop', count: Math.max(0, Math.min(per, count - w * per)) }), 'ok');
    },
    async rejoin(url, baseUrl, upTo) {
      const replies = await all(() => ({ cmd: 'rejoin', url, baseUrl, upTo }), 'rejoined');
      return {
        ms: Math.max(...replies.map((r) => r.ms)),
        caughtUp: replies.reduce((sum, r) => sum + r.caughtUp, 0),
        missing: replies.reduce((sum, r) => sum + r.missing, 0),
        ...spread(replies),
      };
    },
    async pageLoads(baseUrl, credentials, apiPaths) {
      const replies = await all(
        (w) => ({ cmd: 'page-loads', baseUrl, credentials: block(credentials, w), apiPaths }),
        'page-loads',
      );
      const statuses: Record<string, number> = {};
      for (const reply of replies) {
        for (const [status, n] of Object.entries(reply.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
      }
      return {
        ms: Math.max(...replies.map((r) => r.ms)),
        times: replies.flatMap((r) => r.times),
        statuses,
        ...spread(replies),
      };
    },
    async closeSockets() {
      await all(() => ({ cmd: 'close' }), 'ok');
    },
    async stop() {
      for (const child of children) child.kill('SIGTERM');
    },
  };
}
