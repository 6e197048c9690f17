/**
 * `npm run bench:smoke`: the real-time edge's benchmarks at small sizes (about a minute). It
 * checks that every one of them still runs and that nothing is lost; it sets no speed floor.
 * Exits 1 on a failure. The pages must be built (`npm run build:web`): the storm loads them.
 */
import os from 'node:os';
import { EDGE_BENCHMARKS, edgeFailures, edgeTables, runEdge } from './edge/suite.js';
import { round } from './lib/stats.js';

const started = performance.now();
const log = (line: string) => console.log(line);
log(
  `bench:smoke, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const results = await runEdge(EDGE_BENCHMARKS, 'smoke', { log });
log('\n' + edgeTables(results));
const failures = edgeFailures(results);
for (const failure of failures) log(`FAILED: ${failure}`);
log(`bench:smoke: ${failures.length === 0 ? 'passed' : 'FAILED'} in ${round((performance.now() - started) / 1000)} s`);
process.exit(failures.length === 0 ? 0 : 1);
