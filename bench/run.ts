/**
 * `npm run bench [-- dashboard|fanout|scaleout|chat-reading|page-js|logins|soak|edge|edge-…] [--quick] [--sqlite-only] [--duration=10] [--concurrency=4]
 *   [--clients=100,500] [--messages=200] [--rate=50] [--soak-seconds=300] [--profile]`
 *
 * Runs the benchmarks (all but the soak and the real-time edge's by default; those are named to run:
 * `edge` for all five of issue 10), prints the tables and writes bench/results/latest.json.
 * `BENCH_DATABASE_URL` names a PostgreSQL admin URL to use instead of a private server.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runDashboard, type DashboardResult } from './dashboard.js';
import { runFanout, type FanoutOptions, type FanoutResult } from './fanout.js';
import { runLogins, type LoginsResult } from './logins.js';
import { runScaleOut, type ScaleOutResult } from './scaleout.js';
import { BASELINE_LATEST, BASELINE_PK, runChatReading, type ChatReadingResult } from './chat-reading.js';
import { measurePageJs, measurePageWeights, type PageJsResult, type PageWeight } from './page-js.js';
import type { LoadResult } from './lib/http-load.js';
import { runSoak, type SoakResult } from './soak.js';
import { round, table } from './lib/stats.js';
import {
  EDGE_BENCHMARKS,
  edgeFailures,
  edgeTables,
  runEdge,
  type EdgeBenchmark,
  type EdgeResults,
} from './edge/suite.js';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    'sqlite-only': { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    clients: { type: 'string' },
    messages: { type: 'string' },
    rate: { type: 'string' },
    'soak-seconds': { type: 'string' },
    /** CPU profiles of the edge benchmarks' app processes, in bench/results/profiles/. */
    profile: { type: 'boolean', default: false },
    rounds: { type: 'string' },
  },
});

const known = [
  'dashboard',
  'fanout',
  'scaleout',
  'chat-reading',
  'page-js',
  'logins',
  'soak',
  'edge',
  ...EDGE_BENCHMARKS,
];
for (const name of positionals) {
  if (!known.includes(name)) {
    console.error(`Unknown benchmark "${name}": choose from ${known.join(', ')} (default: all).`);
    process.exit(2);
  }
}
const namedOnly = new Set<string>(['soak', 'edge', ...EDGE_BENCHMARKS]);
const chosen = positionals.length === 0 ? known.filter((name) => !namedOnly.has(name)) : positionals;
const edgeChosen = EDGE_BENCHMARKS.filter((name) => chosen.includes(name) || chosen.includes('edge'));
const quick = flags.quick;
const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

const log = (line: string) => console.log(line);
const startedAt = new Date();
const started = performance.now();
const loadBefore = os.loadavg();

const results: {
  dashboard?: DashboardResult;
  fanout?: FanoutResult;
  scaleout?: ScaleOutResult;
  chatReading?: ChatReadingResult;
  pageJs?: PageJsResult;
  pageWeights?: PageWeight[];
  logins?: LoginsResult;
  soak?: SoakResult;
  edge?: EdgeResults;
} = {};
log(`CodeChicks benchmarks${quick ? ' (--quick: small sizes, for development only)' : ''}: ${chosen.join(', ')}`);
log(`machine: ${machine().cpu} × ${machine().cores}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);

if (chosen.includes('dashboard')) {
  results.dashboard = await runDashboard({
    size: quick
      ? { users: 100, messages: 20_000, focusRuns: 5_000, timers: 20, runningTimers: 5, days: 60 }
      : { users: 1_000, messages: 1_000_000, focusRuns: 200_000, timers: 200, runningTimers: 50, days: 60 },
    own: { messages: 300, runs: 200, days: 45 },
    heavy: { messages: 3_000, runs: 2_000, days: 365 },
    concurrency: number(flags.concurrency, 4),
    durationMs: number(flags.duration, quick ? 2 : 10) * 1000,
    warmupMs: number(flags.warmup, quick ? 0.5 : 2) * 1000,
    dialects: flags['sqlite-only'] ? ['sqlite'] : ['sqlite', 'postgres'],
    postgresAdminUrl: process.env.BENCH_DATABASE_URL,
    log,
  });
}
const fanoutOptions: FanoutOptions = {
  clientCounts: (flags.clients ?? (quick ? '20,50' : '100,500')).split(',').map(Number),
  messages: number(flags.messages, quick ? 40 : 200),
  ratePerSecond: number(flags.rate, 50),
  connectParallel: 10,
  quietMs: 500,
  settleMaxMs: 120_000,
  log,
};
if (chosen.includes('fanout')) results.fanout = await runFanout(fanoutOptions);
if (chosen.includes('scaleout')) {
  results.scaleout = await runScaleOut({ ...fanoutOptions, postgresAdminUrl: process.env.BENCH_DATABASE_URL });
}
if (chosen.includes('chat-reading')) {
  results.chatReading = await runChatReading({
    size: quick
      ? { users: 100, messages: 20_000, focusRuns: 100, timers: 0, runningTimers: 0, days: 60 }
      : { users: 1_000, messages: 1_000_000, focusRuns: 1_000, timers: 0, runningTimers: 0, days: 60 },
    rareEvery: 1_000,
    concurrency: number(flags.concurrency, 4),
    durationMs: number(flags.duration, quick ? 2 : 5) * 1000,
    warmupMs: number(flags.warmup, quick ? 0.5 : 1) * 1000,
    dialects: flags['sqlite-only'] ? ['sqlite'] : ['sqlite', 'postgres'],
    postgresAdminUrl: process.env.BENCH_DATABASE_URL,
    log,
  });
}
// Of the built pages in dist/web (run `npm run build:web` first).
if (chosen.includes('page-js')) {
  results.pageJs = measurePageJs('chat', ['highlight']);
  results.pageWeights = measurePageWeights();
}
if (chosen.includes('logins')) {
  results.logins = await runLogins({
    durationMs: number(flags.duration, quick ? 3 : 8) * 1000,
    warmupMs: number(flags.warmup, quick ? 0.5 : 2) * 1000,
    concurrency: number(flags.concurrency, 4),
    rounds: number(flags.rounds, quick ? 1 : 3),
    log,
  });
}
if (chosen.includes('soak')) {
  results.soak = await runSoak({
    sockets: quick ? 100 : 500,
    socketsPerUser: 5,
    timers: quick ? 10 : 50,
    durationMs: number(flags['soak-seconds'], quick ? 20 : 300) * 1000,
    ratePerSecond: number(flags.rate, quick ? 5 : 10),
    log,
  });
}
if (edgeChosen.length > 0) {
  const profiles = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'profiles');
  results.edge = await runEdge(edgeChosen satisfies EdgeBenchmark[], quick ? 'quick' : 'full', {
    log,
    ...(flags.profile ? { cpuProfileDir: profiles } : {}),
  });
}

const seconds = round((performance.now() - started) / 1000);
const report = {
  date: startedAt.toISOString(),
  quick,
  machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg() },
  code: gitState(),
  seconds,
  ...results,
};

log('');
if (results.dashboard !== undefined) log(dashboardTables(results.dashboard));
if (results.fanout !== undefined) log(fanoutTables(results.fanout, 'Chat fan-out'));
if (results.scaleout !== undefined) {
  log(
    'skipped' in results.scaleout
      ? `### Several instances: SKIPPED (${results.scaleout.skipped})\n`
      : fanoutTables(results.scaleout, `Several instances (${results.scaleout.database}, ${results.scaleout.redis})`),
  );
}
if (results.chatReading !== undefined) log(chatReadingTables(results.chatReading));
if (results.pageJs !== undefined) log(pageJsTable(results.pageJs));
if (results.pageWeights !== undefined) log(pageWeightsTable(results.pageWeights));
if (results.logins !== undefined) log(loginTables(results.logins));
if (results.soak !== undefined) log(soakTable(results.soak));
if (results.edge !== undefined) {
  log(edgeTables(results.edge));
  for (const failure of edgeFailures(results.edge)) log(`FAILED: ${failure}`);
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
log(
  `\nWhole run: ${seconds} s. Load average after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}.`,
);
log(`Written: ${path.relative(process.cwd(), out)}`);

function soakTable(r: SoakResult): string {
  return [
    `### Soak: ${r.sockets} sockets, ${r.timers} timers, ${r.seconds} s\n`,
    table(
      [
        'messages sent',
        'acks',
        'timer calls',
        'error answers',
        'unexpected closes',
        'heap after warm-up',
        'heap at end',
        'growth',
        'RSS at end',
        'fds before / loaded / after',
      ],
      [
        [
          r.messagesSent,
          r.acks,
          r.timerCalls,
          r.errors.chat + r.errors.timer,
          r.errors.closes,
          `${r.heapAfterWarmupMiB} MiB`,
          `${r.heapAtEndMiB} MiB`,
          `${r.heapGrowthPercent} %`,
          `${r.rssAtEndMiB} MiB`,
          `${r.fds.baseline} / ${r.fds.loaded} / ${r.fds.afterLeaving}`,
        ],
      ],
    ),
    ...r.errors.samples.map((s) => `- error: ${s}`),
    '',
  ].join('\n');
}

function dashboardTables(result: DashboardResult): string {
  const parts: string[] = [];
  for (const d of result.dialects) {
    if (d.skipped !== undefined) {
      parts.push(`### Dashboard on ${d.dialect}: SKIPPED (${d.skipped})\n`);
      continue;
    }
    const base = d.routes[0];
    parts.push(
      `### Dashboard on ${d.dialect} — ${d.data?.messages.toLocaleString('en-US')} messages, ` +
        `${d.data?.focusSessions.toLocaleString('en-US')} focus runs, ${d.data?.users.toLocaleString('en-US')} users; ` +
        `concurrency ${result.options.concurrency}, ${result.options.durationMs / 1000} s per route\n`,
    );
    parts.push(
      table(
        ['route', 'p50 ms', 'p99 ms', 'max ms', 'req/s', 'p50 × baseline', 'server CPU ms/req', 'errors'],
        d.routes.map((r) => [
          r.name,
          r.p50,
          r.p99,
          r.max,
          r.requestsPerSecond,
          base === undefined || base.p50 === 0 ? 0 : round(r.p50 / base.p50),
          r.serverCpuMsPerRequest ?? '-',
          r.errors,
        ]),
      ),
    );
    parts.push(
      `\nseeding ${d.seedSeconds?.total} s (not a result); database ${round((d.data?.databaseBytes ?? 0) / 2 ** 20)} MiB; ` +
        `server RSS ${d.serverRssMiB?.afterStart} → ${d.serverRssMiB?.afterLoad} MiB (peak ${d.serverRssMiB?.peak})\n`,
    );
  }
  const measured = result.dialects.filter((d) => d.skipped === undefined);
  if (measured.length > 0) {
    parts.push('### Dashboard queries one by one (median of 7, ms)\n');
    const names = measured[0]?.queries.map((q) => q.name) ?? [];
    parts.push(
      table(
        ['query', ...measured.map((d) => d.dialect)],
        names.map((name) => [name, ...measured.map((d) => d.queries.find((q) => q.name === name)?.medianMs ?? 0)]),
      ),
    );
  }
  return parts.join('\n') + '\n';
}

function chatReadingTables(result: ChatReadingResult): string {
  const parts: string[] = [];
  for (const d of result.dialects) {
    if (d.skipped !== undefined) {
      parts.push(`### Reading the chat on ${d.dialect}: SKIPPED (${d.skipped})\n`);
      continue;
    }
    const p50Of = (name: string) => d.routes.find((r) => r.name === name)?.p50 ?? 0;
    const pk = p50Of(BASELINE_PK);
    const latest = p50Of(BASELINE_LATEST);
    parts.push(
      `### Reading the chat on ${d.dialect} — ${d.messages?.toLocaleString('en-US')} messages; ` +
        `concurrency ${result.options.concurrency}, ${result.options.durationMs / 1000} s per route\n`,
    );
    parts.push(
      table(
        ['route', 'p50 ms', 'p99 ms', 'req/s', 'p50 × primary key', 'p50 × latest page', 'errors'],
        d.routes.map((r) => [
          r.name,
          r.p50,
          r.p99,
          r.requestsPerSecond,
          pk === 0 ? 0 : round(r.p50 / pk),
          latest === 0 ? 0 : round(r.p50 / latest),
          r.errors,
        ]),
      ),
    );
    parts.push(`\nseeding ${d.seedSeconds} s (not a result)\n`);
  }
  return parts.join('\n');
}

function pageJsTable(result: PageJsResult): string {
  const rows: (string | number)[][] = Object.entries(result.initial).map(([file, bytes]) => [
    file,
    'with the page',
    bytes,
  ]);
  for (const [file, bytes] of Object.entries(result.lazy)) rows.push([file, 'on first use', bytes]);
  rows.push(['total loaded with the page', '', result.initialGzipBytes]);
  return `### JavaScript of the ${result.page} page (gzip -9 bytes)\n\n${table(['file', 'when', 'gzip bytes'], rows)}\n`;
}

function pageWeightsTable(pages: readonly PageWeight[]): string {
  const rows = pages.map(({ page, js, css }) => [page, css.rawBytes, css.gzipBytes, js.rawBytes, js.gzipBytes]);
  const headers = ['page', 'CSS raw', 'CSS gzip', 'JS raw', 'JS gzip'];
  return `### What each page loads up front (bytes; gzip -9)\n\n${table(headers, rows)}\n`;
}

function fanoutTables(result: FanoutResult, title: string): string {
  const o = result.options;
  const header =
    `### ${title} — ${o.messages} messages at ${o.ratePerSecond}/s from one sender; ` +
    `latency = send → received by each client (registration of ${result.registration.users} users: ` +
    `${result.registration.seconds} s, not a result)\n`;
  const rows = result.runs.map((r) => [
    r.server,
    r.clients,
    r.deliveries.p50,
    r.deliveries.p99,
    r.deliveries.max,
    r.deliveries.perSecond,
    `${r.deliveries.received}/${r.deliveries.expected}`,
    r.send.ack === undefined ? '-' : `${r.send.ack.p50} / ${r.send.ack.p99}`,
    r.serverCpuMsPerMessage,
    r.serverRssMiB.connected,
    r.serverRssMiB.peakGrowthSending,
    r.serverRssMiB.growthAfterSending,
  ]);
  const connectRows = result.runs.map((r) => [
    r.server,
    r.clients,
    r.connect.seconds,
    r.connect.receivedMiB,
    r.connect.frames,
    r.connect.settled ? 'yes' : 'NO (bound reached)',
    r.serverRssMiB.growthConnecting,
    Object.entries(r.closedByServer)
      .map(([code, n]) => `${n}×${code}`)
      .join(' ') || '-',
  ]);
  return [
    header,
    table(
      [
        'server',
        'clients',
        'p50 ms',
        'p99 ms',
        'max ms',
        'deliveries/s',
        'delivered',
        'ack p50 / p99 ms',
        'server CPU ms/msg',
        'RSS connected MiB',
        'RSS peak growth MiB',
        'RSS growth after MiB',
      ],
      rows,
    ),
    '\nConnecting the clients (before the messages):\n',
    table(
      ['server', 'clients', 'seconds', 'received MiB', 'frames', 'settled', 'RSS growth MiB', 'sockets closed'],
      connectRows,
    ),
    '',
  ].join('\n');
}

function loginTables(result: LoginsResult): string {
  const row = (name: string, r: LoadResult) => [name, r.p50, r.p99, r.max, r.requestsPerSecond, r.errors];
  const statuses = Object.entries(result.logins.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  return [
    `### Logins flooded at twice the hashing capacity (${result.cores} cores)\n`,
    table(
      ['GET /api/chat/status', 'p50 ms', 'p99 ms', 'max ms', 'req/s', 'errors'],
      [row('alone (baseline)', result.baseline), row('during the login flood', result.duringFlood)],
    ),
    `\nThe median of ${result.rounds.length} rounds (alone, then flooded); every round's p99 alone → flooded: ` +
      result.rounds.map((r) => `${r.p99Alone} → ${r.p99Flood} ms (${r.p99Ratio}×)`).join(', ') +
      '.',
    `\n${result.pinning}; load average ${result.loadAverage.before.map((l) => l.toFixed(1)).join(' ')} before, ` +
      `${result.loadAverage.after.map((l) => l.toFixed(1)).join(' ')} after.\n` +
      `p99 during the flood: ${result.p99Ratio} × the baseline's. Login capacity ${result.capacityPerSecond}/s ` +
      `(p50 ${result.capacityLatency.p50} ms); flood ${result.floodRatePerSecond}/s, ${result.logins.sent} sent: ` +
      `${statuses}; served logins p50 ${result.logins.latency.p50} ms, p99 ${result.logins.latency.p99} ms.\n`,
  ].join('\n');
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

function gitState() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src'], {
      encoding: 'utf8',
    }).trim();
    return { commit, srcModified: dirty !== '' };
  } catch {
    return { commit: null, srcModified: null };
  }
}
