/**
 * (d) Connect wave: N people connect at once to a fresh app; the bytes all of them receive until
 * the server goes quiet (hello, presence). Measured at growing N, so that linear (bytes per
 * person flat) and quadratic (bytes per person growing with N) growth can be told apart.
 */
import { startServer } from '../lib/child.js';
import { SERVER_CPU } from '../lib/cpus.js';
import type { Fleet } from '../lib/fleet.js';
import { round } from '../lib/stats.js';
import { sleep } from '../lib/ws-clients.js';
import { edgeApp, settle, wsUrl, type EdgeOptions } from './common.js';

/** A wave that has not connected and gone quiet by then is measured as it stands. */
const WAVE_MAX_MS = 240_000;

export interface WaveRun {
  people: number;
  bytes: number;
  MiB: number;
  bytesPerPerson: number;
  frames: number;
  framesPerPerson: number;
  /** log(bytes ratio) / log(people ratio) against the previous size: 1 linear, 2 quadratic. */
  growthExponent: number | null;
  seconds: number;
  /** Sockets open at the end: fewer than `people` when the wave did not finish within its bound. */
  connected: number;
  settled: boolean;
  serverCpuSeconds: number;
}

export async function runConnectWave(
  options: EdgeOptions & { sizes: readonly number[]; fleet: Fleet; parallelPerWorker: number },
): Promise<WaveRun[]> {
  const { log, fleet } = options;
  const most = Math.max(...options.sizes);
  const app = await edgeApp('connect-wave', most);
  log(`\n[edge-wave] seeded ${most} people in ${round(app.people.seconds)} s`);
  const runs: WaveRun[] = [];
  try {
    for (const people of options.sizes) {
      const server = await startServer('app', app.env, { cpu: SERVER_CPU, cpuProfileDir: options.cpuProfileDir });
      try {
        const cpuBefore = await server.cpuMs();
        const started = performance.now();
        const connecting = fleet.connect(
          wsUrl(server.port),
          app.people.cookies.slice(0, people),
          options.parallelPerWorker,
        );
        // Past the bound it goes on until the server stops below; its outcome no longer matters.
        connecting.catch(() => undefined);
        const connected = await Promise.race([connecting, sleep(WAVE_MAX_MS).then(() => undefined)]);
        if (connected !== undefined && connected.failed > 0) {
          throw new Error(`${connected.failed} sockets failed: ${connected.firstError}`);
        }
        const left = WAVE_MAX_MS - (performance.now() - started);
        const settled = connected !== undefined && left > 0 && (await settle(fleet, 2_000, left));
        const seconds = (performance.now() - started) / 1000 - (settled ? 2 : 0);
        const stats = await fleet.stats();
        const previous = runs.at(-1);
        const run: WaveRun = {
          people,
          bytes: stats.bytes,
          MiB: round(stats.bytes / 2 ** 20),
          bytesPerPerson: Math.round(stats.bytes / people),
          frames: stats.frames,
          framesPerPerson: round(stats.frames / people),
          growthExponent:
            previous === undefined
              ? null
              : round(Math.log(stats.bytes / previous.bytes) / Math.log(people / previous.people)),
          seconds: round(seconds),
          connected: stats.open,
          settled,
          serverCpuSeconds: round(((await server.cpuMs()) - cpuBefore) / 1000),
        };
        runs.push(run);
        log(
          `[edge-wave] ${people} people: ${run.MiB} MiB (${run.bytesPerPerson} B/person, ${run.framesPerPerson} frames/person), ` +
            `exponent ${run.growthExponent ?? '-'}, ${run.seconds} s, server CPU ${run.serverCpuSeconds} s` +
            (settled ? '' : `, NOT settled within ${WAVE_MAX_MS / 1000} s (${run.connected} connected)`),
        );
      } finally {
        await server.stop();
        await fleet.closeSockets();
      }
    }
    return runs;
  } finally {
    app.dispose();
  }
}
