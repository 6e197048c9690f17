/**
 * (c) Steady load: C connected clients (10,000 at full size) and one sender at R messages a
 * second for S seconds, on the bare broadcast baseline and then on the app, in the same run:
 * nothing lost, p99 latency, the server's event-loop delay p99.
 */
import { startServer } from '../lib/child.js';
import { SERVER_CPU } from '../lib/cpus.js';
import type { Fleet } from '../lib/fleet.js';
import { round } from '../lib/stats.js';
import { edgeApp, type EdgeOptions } from './common.js';
import { measureFanout, type FanoutCostRun, type FanoutCostSize } from './fanout-cost.js';

export interface SteadyLoadResult {
  size: FanoutCostSize;
  baseline: FanoutCostRun;
  app: FanoutCostRun;
}

export async function runSteadyLoad(
  options: EdgeOptions & { size: FanoutCostSize; fleet: Fleet },
): Promise<SteadyLoadResult> {
  const { log, fleet, size } = options;
  const app = await edgeApp('steady-load', size.clients + 1);
  log(`\n[edge-load] seeded ${size.clients + 1} people in ${round(app.people.seconds)} s`);
  try {
    const cookies = app.people.cookies.slice(0, size.clients);
    const senderCookie = app.people.cookies[size.clients] ?? '';
    const runs: Partial<Record<'baseline' | 'app', FanoutCostRun>> = {};
    for (const which of ['baseline', 'app'] as const) {
      const server =
        which === 'app'
          ? await startServer('app', app.env, { cpu: SERVER_CPU, cpuProfileDir: options.cpuProfileDir })
          : await startServer('broadcast', {}, { cpu: SERVER_CPU });
      try {
        const run = await measureFanout(server, fleet, cookies, senderCookie, size);
        runs[which] = run;
        log(
          `[edge-load] ${which}, ${size.clients} clients × ${size.ratePerSecond}/s for ${size.seconds} s: ` +
            `lost ${run.lost}, p99 ${run.latency.p99} ms, event-loop delay p99 ${run.loopDelay.p99} ms, ` +
            `${run.deliveriesPerCpuSecond} deliveries per CPU-second`,
        );
      } finally {
        await server.stop();
        await fleet.closeSockets();
      }
    }
    if (runs.baseline === undefined || runs.app === undefined) throw new Error('a run is missing');
    return { size, baseline: runs.baseline, app: runs.app };
  } finally {
    app.dispose();
  }
}
