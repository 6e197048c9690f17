/**
 * (b) Idle sockets: N authenticated sockets held by the app vs N sockets held by the bare idle
 * holder; RSS per socket after full collections (RSS with N sockets minus RSS before, ÷ N).
 */
import { startServer } from '../lib/child.js';
import { SERVER_CPU } from '../lib/cpus.js';
import type { Fleet } from '../lib/fleet.js';
import { round } from '../lib/stats.js';
import {
  edgeApp,
  interleaved,
  ratioOf,
  METHOD,
  settle,
  wsUrl,
  type EdgeOptions,
  type Ratio,
  type Rounds,
} from './common.js';

export interface IdleRssRun {
  sockets: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssPerSocketKiB: number;
  heapPerSocketKiB: number;
  connectSeconds: number;
  /** Everything the sockets received while connecting and settling (hello, presence…). */
  receivedMiB: number;
}

export interface IdleRssResult {
  sockets: number;
  warmup?: { baseline: IdleRssRun; app: IdleRssRun };
  rounds: { baseline: IdleRssRun; app: IdleRssRun }[];
  /** App ÷ baseline: ≤ 1.3 is the target. */
  rssPerSocket: Ratio;
}

export async function runIdleRss(
  options: EdgeOptions & { sockets: number; fleet: Fleet; rounds?: Rounds },
): Promise<IdleRssResult> {
  const { log, fleet, sockets } = options;
  const app = await edgeApp('idle-rss', sockets);
  log(`\n[edge-idle] seeded ${sockets} people in ${round(app.people.seconds)} s`);
  try {
    const measured = await interleaved(
      options.rounds ?? METHOD,
      async (which) => {
        const server =
          which === 'app'
            ? await startServer('app', app.env, { cpu: SERVER_CPU, cpuProfileDir: options.cpuProfileDir })
            : await startServer('idle', {}, { cpu: SERVER_CPU });
        try {
          const before = await server.memoryAfterGc();
          const connected = await fleet.connect(wsUrl(server.port), app.people.cookies, 25);
          if (connected.failed > 0) throw new Error(`${connected.failed} sockets failed: ${connected.firstError}`);
          await settle(fleet);
          const after = await server.memoryAfterGc();
          const stats = await fleet.stats();
          if (stats.open !== sockets) throw new Error(`${sockets - stats.open} sockets closed while idle`);
          log(
            `    ${which}: ${round((after.rss - before.rss) / sockets / 1024)} KiB per socket, ${round(stats.bytes / 2 ** 20)} MiB received`,
          );
          return {
            sockets,
            rssBeforeMiB: round(before.rss / 2 ** 20),
            rssAfterMiB: round(after.rss / 2 ** 20),
            rssPerSocketKiB: round((after.rss - before.rss) / sockets / 1024),
            heapPerSocketKiB: round((after.heapUsed - before.heapUsed) / sockets / 1024),
            connectSeconds: round(connected.ms / 1000),
            receivedMiB: round(stats.bytes / 2 ** 20),
          };
        } finally {
          await server.stop();
          await fleet.closeSockets();
        }
      },
      log,
    );
    const result = {
      sockets,
      ...measured,
      rssPerSocket: ratioOf(
        measured.rounds.map((r) => r.app.rssPerSocketKiB / Math.max(r.baseline.rssPerSocketKiB, 1e-9)),
      ),
    };
    log(
      `[edge-idle] ${sockets} sockets: RSS per socket ${result.rssPerSocket.median}× the bare holder's ` +
        `(${result.rssPerSocket.min}–${result.rssPerSocket.max}); app ${measured.rounds.map((r) => r.app.rssPerSocketKiB).join('/')} KiB, ` +
        `bare ${measured.rounds.map((r) => r.baseline.rssPerSocketKiB).join('/')} KiB`,
    );
    return result;
  } finally {
    app.dispose();
  }
}
