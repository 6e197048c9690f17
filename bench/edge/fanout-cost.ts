/**
 * (a) Fan-out cost: C clients and one sender of 100-byte messages at R per second. Deliveries per
 * second of the server process's own CPU time, and per-delivery latency (send time in the
 * payload → arrival), on the bare broadcast baseline and on the app, interleaved.
 */
import { startServer, type LoopDelay, type ServerChild } from '../lib/child.js';
import { SERVER_CPU } from '../lib/cpus.js';
import type { Fleet } from '../lib/fleet.js';
import { round, summarize, type LatencySummary } from '../lib/stats.js';
import {
  edgeApp,
  interleaved,
  openSender,
  ratioOf,
  METHOD,
  sendAtRate,
  settle,
  until,
  wsUrl,
  type EdgeOptions,
  type Ratio,
  type Rounds,
} from './common.js';

export interface FanoutCostSize {
  clients: number;
  ratePerSecond: number;
  seconds: number;
}

export interface FanoutCostRun {
  expected: number;
  received: number;
  duplicates: number;
  lost: number;
  framesPerDelivery: number;
  /** What the clients received while the messages went out, per delivery (the frame's size). */
  bytesPerDelivery: number;
  serverCpuMs: number;
  deliveriesPerCpuSecond: number;
  latency: LatencySummary;
  /** The server's event-loop delay while sending and delivering (ms). */
  loopDelay: LoopDelay;
  sendErrors: number;
  /** Sockets the server closed, by close code. */
  closes: Record<string, number>;
}

export interface FanoutCostResult {
  size: FanoutCostSize;
  messageBytes: number;
  warmup?: { baseline: FanoutCostRun; app: FanoutCostRun };
  rounds: { baseline: FanoutCostRun; app: FanoutCostRun }[];
  /** App ÷ baseline: ≥ 1.0 is the target. */
  deliveriesPerCpuSecond: Ratio;
  /** App ÷ baseline: ≤ 1.2 is the target (at 1,000 × 20/s). */
  p99: Ratio;
}

export const MESSAGE_BYTES = 100;

export async function runFanoutCost(
  options: EdgeOptions & { sizes: readonly FanoutCostSize[]; fleet: Fleet; rounds?: Rounds },
): Promise<FanoutCostResult[]> {
  const { log, fleet } = options;
  const most = Math.max(...options.sizes.map((s) => s.clients));
  const app = await edgeApp('fanout-cost', most + 1);
  log(`\n[edge-fanout] seeded ${most + 1} people in ${round(app.people.seconds)} s`);
  try {
    const results: FanoutCostResult[] = [];
    for (const size of options.sizes) {
      log(`[edge-fanout] ${size.clients} clients × ${size.ratePerSecond}/s for ${size.seconds} s`);
      const cookies = app.people.cookies.slice(0, size.clients);
      const senderCookie = app.people.cookies[size.clients] ?? '';
      const measured = await interleaved(
        options.rounds ?? METHOD,
        async (which) => {
          const server =
            which === 'app'
              ? await startServer('app', app.env, { cpu: SERVER_CPU, cpuProfileDir: options.cpuProfileDir })
              : await startServer('broadcast', {}, { cpu: SERVER_CPU });
          try {
            const run = await measureFanout(server, fleet, cookies, senderCookie, size);
            log(
              `    ${which}: ${run.deliveriesPerCpuSecond} deliveries per CPU-second, p99 ${run.latency.p99} ms, ` +
                `lost ${run.lost}, loop delay p99 ${run.loopDelay.p99} ms`,
            );
            return run;
          } finally {
            await server.stop();
            await fleet.closeSockets();
          }
        },
        log,
      );
      const ratio = (pick: (r: FanoutCostRun) => number) =>
        ratioOf(measured.rounds.map((r) => pick(r.app) / Math.max(pick(r.baseline), 1e-9)));
      const result: FanoutCostResult = {
        size,
        messageBytes: MESSAGE_BYTES,
        ...measured,
        deliveriesPerCpuSecond: ratio((r) => r.deliveriesPerCpuSecond),
        p99: ratio((r) => r.latency.p99),
      };
      log(
        `[edge-fanout] C=${size.clients}: deliveries per CPU-second ${result.deliveriesPerCpuSecond.median}× ` +
          `(${result.deliveriesPerCpuSecond.min}–${result.deliveriesPerCpuSecond.max}), p99 ${result.p99.median}× ` +
          `(${result.p99.min}–${result.p99.max}); lost ${measured.rounds.map((r) => r.app.lost).join('/')}`,
      );
      results.push(result);
    }
    return results;
  } finally {
    app.dispose();
  }
}

/** One server: C sockets connect and settle, then one sender sends at the rate; what arrived. */
export async function measureFanout(
  server: ServerChild,
  fleet: Fleet,
  cookies: readonly string[],
  senderCookie: string,
  size: FanoutCostSize,
): Promise<FanoutCostRun> {
  const connected = await fleet.connect(wsUrl(server.port), cookies, 25);
  if (connected.failed > 0) throw new Error(`${connected.failed} sockets failed: ${connected.firstError}`);
  const sender = await openSender(wsUrl(server.port), senderCookie);
  try {
    await settle(fleet);
    const messages = Math.round(size.ratePerSecond * size.seconds);
    const expected = messages * cookies.length;
    await fleet.measure(messages);
    await server.loopDelay(true);
    const cpuBefore = await server.cpuMs();
    await sendAtRate(sender, messages, size.ratePerSecond, MESSAGE_BYTES);
    await until(async () => {
      const { received, open } = await fleet.stats();
      return received >= expected || open === 0;
    }, 60_000);
    // What the server spent until the last delivery (the poll above adds a little of its idle time).
    const serverCpuMs = (await server.cpuMs()) - cpuBefore;
    const loopDelay = await server.loopDelay(false);
    const stats = await fleet.stats(true);
    return {
      expected,
      received: stats.received,
      duplicates: stats.duplicates,
      lost: expected - stats.received,
      framesPerDelivery: round(stats.frames / Math.max(stats.received, 1)),
      bytesPerDelivery: Math.round(stats.bytes / Math.max(stats.received, 1)),
      serverCpuMs: round(serverCpuMs),
      deliveriesPerCpuSecond: Math.round(stats.received / (serverCpuMs / 1000)),
      latency: summarize(stats.latencies),
      loopDelay: { p50: round(loopDelay.p50), p99: round(loopDelay.p99), max: round(loopDelay.max) },
      sendErrors: sender.errors().count,
      closes: stats.closes,
    };
  } finally {
    sender.close();
  }
}
