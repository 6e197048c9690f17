/**
 * Chat fan-out: C WebSocket clients (each a registered user with its Bearer token) and one sender
 * posting M messages over its own socket at a fixed rate; each message carries its send time.
 * Measured per delivery (send → `message.created` at each client), on the real app (SQLite) and
 * on the baseline, a bare `ws` server that relays every frame to every client, in the same run.
 * `scaleout.ts` measures the same against one and two app instances on PostgreSQL and Redis.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { appEnv, registerUsers, type BenchUser } from './lib/api.js';
import { startServer, type Memory, type ServerChild } from './lib/child.js';
import { mib, round, summarize, type LatencySummary } from './lib/stats.js';
import { connectClients, sleep, terminateAll, waitForQuiet, type Client } from './lib/ws-clients.js';

export interface FanoutOptions {
  clientCounts: readonly number[];
  messages: number;
  ratePerSecond: number;
  /** WebSocket handshakes in flight at once while connecting the clients. */
  connectParallel: number;
  /** After connecting, wait until nothing arrives for this long (presence frames settle). */
  quietMs: number;
  /** Bound of the connect phase's settling, and of waiting for the last deliveries. */
  settleMaxMs: number;
  log: (line: string) => void;
}

/** What one measurement runs against: the relay baseline, or the app on one or more instances. */
export interface FanoutTarget {
  label: string;
  /** The CodeChicks app (else the relay, which echoes `message.send` frames as they are). */
  app: boolean;
  /** Starts the server processes; clients are spread over them in turn, the sender uses the first. */
  start(): Promise<ServerChild[]>;
}

export interface FanoutRun {
  server: string;
  instances: number;
  clients: number;
  connect: {
    seconds: number;
    settled: boolean;
    /** Everything the C clients received while connecting (hello, presence…), MiB. */
    receivedMiB: number;
    frames: number;
  };
  send: {
    messages: number;
    seconds: number;
    achievedRate: number;
    errors: number;
    firstError?: string;
    /** App only: send → `ack` to the sender. */
    ack?: LatencySummary;
  };
  deliveries: {
    expected: number;
    received: number;
    perSecond: number;
    bytesPerDelivery: number;
  } & LatencySummary;
  closedByServer: Record<string, number>;
  /** Summed over the instances. */
  serverRssMiB: {
    idle: number;
    connected: number;
    peakWhileSending: number;
    afterSending: number;
    /** Differences of the raw byte counts (the figures above are rounded). */
    growthConnecting: number;
    peakGrowthSending: number;
    growthAfterSending: number;
  };
  /** Summed over the instances. */
  serverCpuMsPerMessage: number;
}

export interface FanoutResult {
  options: Omit<FanoutOptions, 'log'>;
  registration: { users: number; seconds: number };
  runs: FanoutRun[];
}

const SEND_MARK = /#(\d+) @(\d+(?:\.\d+)?)/;

export async function runFanout(options: FanoutOptions): Promise<FanoutResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-bench-fanout-'));
  const env = appEnv(`sqlite:${path.join(dir, 'fanout.db')}`, dir);
  try {
    return await measureTargets(options, 'fanout', env, [
      { label: 'baseline: ws relay', app: false, start: async () => [await startServer('relay')] },
      { label: 'app (SQLite)', app: true, start: async () => [await startServer('app', env)] },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Registers the users once, then measures every target at every client count, in turn. */
export async function measureTargets(
  options: FanoutOptions,
  name: string,
  env: Record<string, string>,
  targets: readonly FanoutTarget[],
): Promise<FanoutResult> {
  const { log } = options;
  // Users are registered once, through the API, by a server that is then stopped: each
  // measured server process starts fresh on the same database, so its memory is its own.
  const most = Math.max(...options.clientCounts);
  const started = performance.now();
  const registrar = await startServer('app', env);
  let users: BenchUser[];
  try {
    users = await registerUsers(registrar.baseUrl, 'fan_', most + 1);
  } finally {
    await registrar.stop();
  }
  const registration = { users: users.length, seconds: round((performance.now() - started) / 1000) };
  log(`\n[${name}] registered ${registration.users} users in ${registration.seconds} s`);
  const [sender, ...receivers] = users;
  if (sender === undefined) throw new Error('no users');

  const runs: FanoutRun[] = [];
  for (const clients of options.clientCounts) {
    for (const target of targets) {
      const run = await measure(options, target, sender, receivers.slice(0, clients));
      runs.push(run);
      log(
        `[${name}] ${target.label}, C=${clients}: p50 ${run.deliveries.p50} ms, p99 ${run.deliveries.p99} ms, ` +
          `${run.deliveries.perSecond} deliveries/s, ${run.deliveries.received}/${run.deliveries.expected} delivered, ` +
          `connect ${run.connect.seconds} s (${run.connect.receivedMiB} MiB), RSS growth ${run.serverRssMiB.growthAfterSending} MiB`,
      );
    }
  }
  const { clientCounts, messages, ratePerSecond, connectParallel, quietMs, settleMaxMs } = options;
  return {
    options: { clientCounts, messages, ratePerSecond, connectParallel, quietMs, settleMaxMs },
    registration,
    runs,
  };
}

/** The instances' figures added up (peaks too: an upper bound of the peak of the sum). */
function sumMemory(memories: readonly Memory[]): Memory {
  return memories.reduce(
    (sum, m) => ({ rss: sum.rss + m.rss, peakRss: sum.peakRss + m.peakRss, heapUsed: sum.heapUsed + m.heapUsed }),
    { rss: 0, peakRss: 0, heapUsed: 0 },
  );
}

async function measure(
  options: FanoutOptions,
  target: FanoutTarget,
  senderUser: BenchUser,
  receiverUsers: readonly BenchUser[],
): Promise<FanoutRun> {
  const { app } = target;
  const C = receiverUsers.length;
  const M = options.messages;
  const latencies = new Float64Array(C * M).fill(-1);
  const lastArrival = { at: 0 };
  let received = 0;
  let deliveredBytes = 0;
  const expectedHead = app ? '{"type":"message.created"' : '{"type":"message.send"';

  const onReceiverFrame = (index: number, data: Buffer) => {
    if (data.toString('latin1', 0, expectedHead.length) !== expectedHead) return;
    const event = JSON.parse(data.toString('utf8')) as { content?: string; message?: { content: string } };
    const match = SEND_MARK.exec(event.message?.content ?? event.content ?? '');
    if (match === null) return;
    const seq = Number(match[1]);
    const slot = index * M + seq;
    if (seq >= M || latencies[slot] !== -1) return;
    const now = performance.now();
    latencies[slot] = now - Number(match[2]);
    lastArrival.at = now;
    received += 1;
    deliveredBytes += data.length;
  };

  const sentAt = new Float64Array(M).fill(-1);
  const ackLatencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const onSenderFrame = (_index: number, data: Buffer) => {
    const head = data.toString('latin1', 0, 16);
    if (head.startsWith('{"type":"ack"')) {
      const { ref } = JSON.parse(data.toString('utf8')) as { ref: string };
      const sent = sentAt[Number(ref)] ?? -1;
      if (sent >= 0) ackLatencies.push(performance.now() - sent);
    } else if (head.startsWith('{"type":"error"')) {
      errors += 1;
      firstError ??= data.toString('utf8').slice(0, 200);
    }
  };

  const servers = await target.start();
  const memory = async () => sumMemory(await Promise.all(servers.map((s) => s.memory())));
  const resetPeak = async () => sumMemory(await Promise.all(servers.map((s) => s.resetPeak())));
  const cpuMs = async () => (await Promise.all(servers.map((s) => s.cpuMs()))).reduce((a, b) => a + b, 0);
  const wsUrls = servers.map((server) => `ws://127.0.0.1:${server.port}/ws`);
  let receivers: Client[] = [];
  let senders: Client[] = [];
  try {
    const idle = await memory();
    const connectStarted = performance.now();
    receivers = await connectClients({
      urls: wsUrls,
      tokens: receiverUsers.map((u) => (app ? u.token : undefined)),
      parallel: options.connectParallel,
      timeoutMs: 30_000,
      onFrame: onReceiverFrame,
    });
    senders = await connectClients({
      urls: wsUrls,
      tokens: [app ? senderUser.token : undefined],
      parallel: 1,
      timeoutMs: 30_000,
      onFrame: onSenderFrame,
    });
    const settled = await waitForQuiet([...receivers, ...senders], options.quietMs, options.settleMaxMs);
    const connectSeconds = (performance.now() - connectStarted - (settled ? options.quietMs : 0)) / 1000;
    const connectBytes = receivers.reduce((sum, c) => sum + c.bytes, 0);
    const connectFrames = receivers.reduce((sum, c) => sum + c.frames, 0);

    const connected = await resetPeak();
    const cpuBefore = await cpuMs();
    const sender = senders[0];
    if (sender === undefined) throw new Error('no sender');

    // Open loop: message k is due at k / rate seconds, whatever the answers.
    const interval = 1000 / options.ratePerSecond;
    const sendStarted = performance.now();
    for (let seq = 0; seq < M; seq++) {
      const wait = sendStarted + seq * interval - performance.now();
      if (wait > 0) await sleep(wait);
      const now = performance.now();
      sentAt[seq] = now;
      sender.ws.send(
        JSON.stringify({
          type: 'message.send',
          ref: String(seq),
          content: `bench #${seq} @${now.toFixed(3)}`,
          client_id: randomUUID(),
        }),
      );
    }
    const sendSeconds = (performance.now() - sendStarted) / 1000;
    const deadline = performance.now() + options.settleMaxMs;
    while (received < C * M && performance.now() < deadline) {
      const open = receivers.filter((c) => c.ws.readyState === c.ws.OPEN).length;
      if (open === 0) break;
      await sleep(20);
    }
    if (app) {
      const ackDeadline = performance.now() + 5_000;
      while (ackLatencies.length + errors < M && performance.now() < ackDeadline) await sleep(20);
    }
    const deliverySeconds = ((lastArrival.at || performance.now()) - sendStarted) / 1000;
    const cpuUsed = (await cpuMs()) - cpuBefore;
    const after = await memory();

    const closedByServer: Record<string, number> = {};
    for (const client of [...receivers, ...senders]) {
      if (client.closeCode !== undefined)
        closedByServer[client.closeCode] = (closedByServer[client.closeCode] ?? 0) + 1;
    }
    const arrived = latencies.filter((v) => v >= 0);
    return {
      server: target.label,
      instances: servers.length,
      clients: C,
      connect: {
        seconds: round(connectSeconds),
        settled,
        receivedMiB: mib(connectBytes),
        frames: connectFrames,
      },
      send: {
        messages: M,
        seconds: round(sendSeconds),
        achievedRate: round(M / sendSeconds),
        errors,
        ...(firstError === undefined ? {} : { firstError }),
        ...(app ? { ack: summarize(ackLatencies) } : {}),
      },
      deliveries: {
        expected: C * M,
        received,
        perSecond: Math.round(received / Math.max(deliverySeconds, 1e-3)),
        bytesPerDelivery: received === 0 ? 0 : Math.round(deliveredBytes / received),
        ...summarize(arrived),
      },
      closedByServer,
      serverRssMiB: {
        idle: mib(idle.rss),
        connected: mib(connected.rss),
        peakWhileSending: mib(after.peakRss),
        afterSending: mib(after.rss),
        growthConnecting: mib(connected.rss - idle.rss),
        peakGrowthSending: mib(after.peakRss - connected.rss),
        growthAfterSending: mib(after.rss - connected.rss),
      },
      serverCpuMsPerMessage: round(cpuUsed / M),
    };
  } finally {
    // The server first: closing 500 sockets one by one would make the app broadcast presence to the rest.
    await Promise.all(servers.map((server) => server.stop()));
    terminateAll(receivers);
    terminateAll(senders);
  }
}
