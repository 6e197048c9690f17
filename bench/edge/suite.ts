/**
 * The issue-10 benchmarks of the real-time edge, at one of three scales: `full` (the targets'
 * sizes), `quick` (reduced, for development) and `smoke` (`npm run bench:smoke`: every benchmark
 * runs and nothing may be lost; no speed floors).
 */
import { startFleet } from '../lib/fleet.js';
import { round, table } from '../lib/stats.js';
import { METHOD, type EdgeOptions, type Rounds } from './common.js';
import { runConnectWave, type WaveRun } from './connect-wave.js';
import { runFanoutCost, type FanoutCostResult, type FanoutCostSize } from './fanout-cost.js';
import { runIdleRss, type IdleRssResult } from './idle-rss.js';
import { runReconnectStorm, type StormResult } from './reconnect-storm.js';
import { runSteadyLoad, type SteadyLoadResult } from './steady-load.js';

export const EDGE_BENCHMARKS = ['edge-fanout', 'edge-idle', 'edge-load', 'edge-wave', 'edge-storm'] as const;
export type EdgeBenchmark = (typeof EDGE_BENCHMARKS)[number];
export type EdgeScale = 'full' | 'quick' | 'smoke';

interface Sizes {
  workers: number;
  rounds: Rounds;
  fanout: FanoutCostSize[];
  idle: number;
  load: FanoutCostSize;
  wave: number[];
  storm: { clients: number; behind: number };
}

const SIZES: Record<EdgeScale, Sizes> = {
  full: {
    workers: 4,
    rounds: METHOD,
    fanout: [
      { clients: 1_000, ratePerSecond: 20, seconds: 10 },
      { clients: 5_000, ratePerSecond: 5, seconds: 10 },
    ],
    idle: 10_000,
    load: { clients: 10_000, ratePerSecond: 5, seconds: 60 },
    wave: [500, 1_000, 2_000, 5_000],
    storm: { clients: 1_000, behind: 50 },
  },
  quick: {
    workers: 2,
    rounds: METHOD,
    fanout: [
      { clients: 200, ratePerSecond: 20, seconds: 5 },
      { clients: 1_000, ratePerSecond: 5, seconds: 5 },
    ],
    idle: 2_000,
    load: { clients: 2_000, ratePerSecond: 5, seconds: 20 },
    wave: [125, 250, 500, 1_000],
    storm: { clients: 200, behind: 50 },
  },
  smoke: {
    workers: 2,
    rounds: { rounds: 1, warmup: false },
    fanout: [{ clients: 50, ratePerSecond: 20, seconds: 2 }],
    idle: 100,
    load: { clients: 100, ratePerSecond: 5, seconds: 4 },
    wave: [30, 60],
    storm: { clients: 50, behind: 50 },
  },
};

export interface EdgeResults {
  scale: EdgeScale;
  fanout?: FanoutCostResult[];
  idle?: IdleRssResult;
  load?: SteadyLoadResult;
  wave?: WaveRun[];
  storm?: StormResult;
}

export async function runEdge(chosen: readonly EdgeBenchmark[], scale: EdgeScale, options: EdgeOptions) {
  const sizes = SIZES[scale];
  const fleet = await startFleet(sizes.workers);
  const results: EdgeResults = { scale };
  const common = { ...options, fleet, rounds: sizes.rounds };
  try {
    if (chosen.includes('edge-fanout')) results.fanout = await runFanoutCost({ ...common, sizes: sizes.fanout });
    if (chosen.includes('edge-idle')) results.idle = await runIdleRss({ ...common, sockets: sizes.idle });
    if (chosen.includes('edge-load')) results.load = await runSteadyLoad({ ...common, size: sizes.load });
    if (chosen.includes('edge-wave')) {
      results.wave = await runConnectWave({ ...common, sizes: sizes.wave, parallelPerWorker: 50 });
    }
    if (chosen.includes('edge-storm')) results.storm = await runReconnectStorm({ ...common, ...sizes.storm });
  } finally {
    await fleet.stop();
  }
  return results;
}

/** What must hold at every scale: nothing lost, every socket caught up. Empty when all is well. */
export function edgeFailures(results: EdgeResults): string[] {
  const failures: string[] = [];
  for (const f of results.fanout ?? []) {
    for (const [i, r] of [...(f.warmup === undefined ? [] : [f.warmup]), ...f.rounds].entries()) {
      for (const [which, run] of Object.entries(r)) {
        if (run.lost !== 0 || run.duplicates !== 0) {
          failures.push(`fan-out ${f.size.clients}, run ${i} ${which}: ${run.lost} lost, ${run.duplicates} duplicated`);
        }
      }
    }
  }
  if (results.load !== undefined) {
    for (const which of ['baseline', 'app'] as const) {
      const run = results.load[which];
      if (run.lost !== 0) failures.push(`steady load ${which}: ${run.lost} of ${run.expected} deliveries lost`);
    }
  }
  for (const run of results.wave ?? []) if (!run.settled) failures.push(`connect wave ${run.people}: never settled`);
  if (results.storm !== undefined) {
    for (const [i, { app }] of [
      ...(results.storm.warmup === undefined ? [] : [results.storm.warmup]),
      ...results.storm.rounds,
    ].entries()) {
      if (app.complete !== results.storm.clients || app.missing !== 0) {
        failures.push(`reconnect storm, run ${i}: ${app.complete} caught up, ${app.missing} messages missing`);
      }
    }
  }
  return failures;
}

const ratio = (r: { median: number; min: number; max: number }) => `${r.median} (${r.min}–${r.max})`;

export function edgeTables(results: EdgeResults): string {
  const parts: string[] = [`### The real-time edge (issue 10), scale ${results.scale}\n`];
  if (results.fanout !== undefined) {
    parts.push(
      'Fan-out, 100-byte messages, app vs the bare broadcast baseline (median of the rounds, min–max of the ratios):\n',
      table(
        ['clients × msg/s', 'deliveries/CPU-s bare', 'app', 'app ÷ bare', 'p99 ms bare', 'app', 'app ÷ bare', 'lost'],
        results.fanout.map((f) => {
          const median = (pick: (r: (typeof f.rounds)[number]) => number) =>
            round([...f.rounds.map(pick)].sort((a, b) => a - b)[Math.floor(f.rounds.length / 2)] ?? 0);
          return [
            `${f.size.clients} × ${f.size.ratePerSecond}`,
            median((r) => r.baseline.deliveriesPerCpuSecond),
            median((r) => r.app.deliveriesPerCpuSecond),
            ratio(f.deliveriesPerCpuSecond),
            median((r) => r.baseline.latency.p99),
            median((r) => r.app.latency.p99),
            ratio(f.p99),
            f.rounds.reduce((n, r) => n + r.app.lost + r.baseline.lost, 0),
          ];
        }),
      ),
      '',
    );
  }
  if (results.idle !== undefined) {
    const i = results.idle;
    parts.push(
      `Idle sockets (${i.sockets}), RSS per socket after full GCs, KiB:\n`,
      table(
        ['round', 'bare holder', 'app', 'app ÷ bare', 'app heap/socket', 'app received MiB'],
        i.rounds.map((r, n) => [
          n + 1,
          r.baseline.rssPerSocketKiB,
          r.app.rssPerSocketKiB,
          round(r.app.rssPerSocketKiB / Math.max(r.baseline.rssPerSocketKiB, 1e-9)),
          r.app.heapPerSocketKiB,
          r.app.receivedMiB,
        ]),
      ),
      `\nmedian ratio ${ratio(i.rssPerSocket)}\n`,
    );
  }
  if (results.load !== undefined) {
    const l = results.load;
    parts.push(
      `Steady load, ${l.size.clients} clients × ${l.size.ratePerSecond} msg/s for ${l.size.seconds} s:\n`,
      table(
        ['server', 'lost', 'p50 ms', 'p99 ms', 'loop delay p99 ms', 'loop delay max ms', 'deliveries/CPU-s', 'closed'],
        (['baseline', 'app'] as const).map((which) => {
          const r = l[which];
          return [
            which,
            r.lost,
            r.latency.p50,
            r.latency.p99,
            r.loopDelay.p99,
            r.loopDelay.max,
            r.deliveriesPerCpuSecond,
            Object.entries(r.closes)
              .map(([code, n]) => `${n}×${code}`)
              .join(' ') || '-',
          ];
        }),
      ),
      '',
    );
  }
  if (results.wave !== undefined) {
    parts.push(
      'Connect wave (app): bytes received by everyone until quiet:\n',
      table(
        ['people', 'connected', 'MiB', 'bytes/person', 'frames/person', 'growth exponent', 'seconds', 'server CPU s'],
        results.wave.map((w) => [
          w.people,
          w.settled ? w.connected : `${w.connected} (bound reached)`,
          w.MiB,
          w.bytesPerPerson,
          w.framesPerPerson,
          w.growthExponent ?? '-',
          w.seconds,
          w.serverCpuSeconds,
        ]),
      ),
      '',
    );
  }
  if (results.storm !== undefined) {
    const s = results.storm;
    parts.push(
      `Reconnect storm, ${s.clients} clients ${s.behind} messages behind, vs ${s.clients} cold page loads at once:\n`,
      table(
        ['round', 'page loads s', 'loads failed', 'storm s', 'storm ÷ loads', 'caught up', 'missing'],
        s.rounds.map((r, n) => [
          n + 1,
          r.baseline.seconds,
          r.baseline.failed,
          r.app.seconds,
          round(r.app.seconds / Math.max(r.baseline.seconds, 1e-9)),
          r.app.complete,
          r.app.missing,
        ]),
      ),
      `\nmedian ratio ${ratio(s.time)}\n`,
    );
  }
  return parts.join('\n');
}
