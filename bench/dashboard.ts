/**
 * The dashboard at scale: a seeded community (by default 1,000 users, 1,000,000 messages,
 * 200,000 focus runs) on SQLite and PostgreSQL, the real app in its own process, and real HTTP
 * requests from a closed-loop generator. Baseline: `GET /auth/me` (the same session check and
 * one indexed row) at the same concurrency in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as chatRepo from '../src/server/chat/chat.repository.js';
import * as repo from '../src/server/dashboard/dashboard.repository.js';
import { openDatabase, type DatabaseHandle, type DialectName } from '../src/server/db/database.js';
import { readTotal } from '../src/server/db/totals.js';
import { localDayBoundaries, startOfLocalDay, startOfLocalWeek } from '../src/server/shared/time.js';
import { api, appEnv, registerUser } from './lib/api.js';
import { startServer, type ServerChild } from './lib/child.js';
import { runLoad, type LoadResult } from './lib/http-load.js';
import { obtainPostgres } from './lib/postgres.js';
import { describeData, seedCommunity, seedOwnActivity, type SeedSize } from './lib/seed.js';
import { mib, round, summarize } from './lib/stats.js';

export interface DashboardOptions {
  size: SeedSize;
  own: { messages: number; runs: number; days: number };
  /** A second caller with a long history, for the cost of `/api/dashboard/me` as it grows. */
  heavy: { messages: number; runs: number; days: number };
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  dialects: readonly DialectName[];
  /** An admin URL for PostgreSQL; else a private server is started. */
  postgresAdminUrl?: string;
  log: (line: string) => void;
}

/** What is measured, in this order; the first is the baseline. */
export const DASHBOARD_ROUTES = [
  { name: 'baseline: GET /auth/me', path: '/auth/me', caller: 'me' },
  { name: 'GET /api/dashboard', path: '/api/dashboard', caller: 'me' },
  { name: 'GET /api/dashboard/me', path: '/api/dashboard/me', caller: 'me' },
  { name: 'extra: GET /api/dashboard/me, long history', path: '/api/dashboard/me', caller: 'heavy' },
  { name: 'extra: GET /api/chat/messages?limit=50', path: '/api/chat/messages?limit=50', caller: 'me' },
] as const;

export const MIXED_ROUTE = 'extra: GET /auth/me (concurrency − 1) beside 1 client on GET /api/dashboard';

export interface RouteFigures extends LoadResult {
  name: string;
  /** Server CPU time (user + system) per request, ms: what one request costs the app process. */
  serverCpuMsPerRequest: number | null;
}

export interface DialectResult {
  dialect: DialectName;
  skipped?: string;
  database?: string;
  seedSeconds?: Record<string, number>;
  data?: Awaited<ReturnType<typeof describeData>>;
  routes: RouteFigures[];
  /** Each repository query of the two dashboard routes alone, median ms over a few runs. */
  queries: { name: string; medianMs: number; maxMs: number }[];
  serverRssMiB?: { afterStart: number; afterLoad: number; peak: number };
}

export interface DashboardResult {
  options: Omit<DashboardOptions, 'log' | 'postgresAdminUrl'>;
  dialects: DialectResult[];
}

export async function runDashboard(options: DashboardOptions): Promise<DashboardResult> {
  const results: DialectResult[] = [];
  for (const dialect of options.dialects) {
    results.push(dialect === 'sqlite' ? await onSqlite(options) : await onPostgres(options));
  }
  const { size, own, heavy, concurrency, durationMs, warmupMs, dialects } = options;
  return { options: { size, own, heavy, concurrency, durationMs, warmupMs, dialects }, dialects: results };
}

async function onSqlite(options: DashboardOptions): Promise<DialectResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-bench-'));
  const file = path.join(dir, 'bench.db');
  try {
    return await measureDialect(options, 'sqlite', `sqlite:${file}`, dir, `SQLite file ${file}`, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(options: DashboardOptions): Promise<DialectResult> {
  const postgres = await obtainPostgres(options.postgresAdminUrl);
  if (postgres === undefined) {
    const why = 'no BENCH_DATABASE_URL and no PostgreSQL under /usr/lib/postgresql';
    options.log(`\n!!! PostgreSQL SKIPPED: ${why}.\n`);
    return { dialect: 'postgres', skipped: why, routes: [], queries: [] };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-bench-'));
  try {
    const description = `PostgreSQL ${postgres.version}, ${postgres.source}`;
    return await measureDialect(options, 'postgres', postgres.url, dir, description);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await postgres.release();
  }
}

async function measureDialect(
  options: DashboardOptions,
  dialect: DialectName,
  url: string,
  dataDir: string,
  description: string,
  sqliteFile?: string,
): Promise<DialectResult> {
  const { log } = options;
  log(`\n[dashboard/${dialect}] ${description}`);
  const now = Date.now();
  const handle = await openDatabase(url);
  let server: ServerChild | undefined;
  try {
    const started = performance.now();
    const seeded = await seedCommunity(handle, options.size, now);
    const seedSeconds = Object.fromEntries(
      Object.entries({ ...seeded.milliseconds, total: performance.now() - started }).map(([k, v]) => [
        k,
        round(v / 1000),
      ]),
    );
    log(`[dashboard/${dialect}] seeded in ${seedSeconds.total} s ${JSON.stringify(seedSeconds)}`);

    server = await startServer('app', appEnv(url, dataDir));
    const afterStart = await server.memory();
    const me = await registerUser(server.baseUrl, 'bench_me');
    await api(server.baseUrl, 'PATCH', '/api/profile', { token: me.token, body: { timezone: 'Europe/Berlin' } });
    await seedOwnActivity(handle, me.id, options.own, now);
    const heavy = await registerUser(server.baseUrl, 'bench_heavy');
    await api(server.baseUrl, 'PATCH', '/api/profile', { token: heavy.token, body: { timezone: 'America/New_York' } });
    await seedOwnActivity(handle, heavy.id, options.heavy, now);
    const data = await describeData(handle, sqliteFile);
    log(`[dashboard/${dialect}] data ${JSON.stringify(data)}`);

    const sample = await api<{ global_metrics: { total_messages_sent: number } }>(
      server.baseUrl,
      'GET',
      '/api/dashboard',
      {
        token: me.token,
      },
    );
    if (sample.global_metrics.total_messages_sent < data.messages * 0.9) {
      throw new Error(`the dashboard counts ${sample.global_metrics.total_messages_sent} messages: seeding went wrong`);
    }

    const routes: RouteFigures[] = [];
    await server.resetPeak();
    const child = server;
    const tokenOf = (caller: 'me' | 'heavy') => (caller === 'me' ? me : heavy).token;
    for (const route of DASHBOARD_ROUTES) {
      let cpuBefore = 0;
      const result = await runLoad({
        baseUrl: child.baseUrl,
        path: route.path,
        headers: { authorization: `Bearer ${tokenOf(route.caller)}` },
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        onMeasureStart: async () => void (cpuBefore = await child.cpuMs()),
      });
      const cpuMs = (await child.cpuMs()) - cpuBefore;
      routes.push({ name: route.name, ...result, serverCpuMsPerRequest: round(cpuMs / Math.max(1, result.count)) });
    }
    // The baseline again, while one more client keeps asking for the community dashboard.
    const [beside] = await Promise.all([
      runLoad({
        baseUrl: child.baseUrl,
        path: '/auth/me',
        headers: { authorization: `Bearer ${me.token}` },
        concurrency: Math.max(1, options.concurrency - 1),
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
      }),
      runLoad({
        baseUrl: child.baseUrl,
        path: '/api/dashboard',
        headers: { authorization: `Bearer ${me.token}` },
        concurrency: 1,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
      }),
    ]);
    routes.push({ name: MIXED_ROUTE, ...beside, serverCpuMsPerRequest: null });
    for (const figures of routes) {
      log(
        `[dashboard/${dialect}] ${figures.name}: p50 ${figures.p50} ms, p99 ${figures.p99} ms, ` +
          `${figures.requestsPerSecond} req/s, errors ${figures.errors}`,
      );
    }
    const afterLoad = await server.memory();
    await server.stop();
    server = undefined;

    const queries = await queryBreakdown(handle, me.id, 'Europe/Berlin');
    return {
      dialect,
      database: description,
      seedSeconds,
      data,
      routes,
      queries,
      serverRssMiB: { afterStart: mib(afterStart.rss), afterLoad: mib(afterLoad.rss), peak: mib(afterLoad.peakRss) },
    };
  } finally {
    await server?.stop();
    await handle.close();
  }
}

/** What `total_messages_sent` and `total_count` cost before the totals row (migration 0005). */
function fullLiveMessageCount(db: DatabaseHandle['db']) {
  return db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
}

/** Each query of the two dashboard routes on its own (the same arguments the service passes). */
async function queryBreakdown(handle: DatabaseHandle, userId: number, timeZone: string) {
  const { db } = handle;
  const now = Date.now();
  const today = startOfLocalDay(now, timeZone);
  const week = startOfLocalWeek(now, timeZone);
  const boundaries = localDayBoundaries(now, timeZone, 30);
  const DAY = 86_400_000;
  const queries: [string, () => Promise<unknown>][] = [
    ['findUser', () => repo.findUser(db, userId)],
    ['countUsers', () => repo.countUsers(db, now - DAY, today)],
    ['readTotal (focus_sessions): activity_summary', () => readTotal(db, 'focus_sessions')],
    ['countRunningTimers', () => repo.countRunningTimers(db)],
    ['readTotal (live_messages): total_messages_sent', () => readTotal(db, 'live_messages')],
    ['reference: the full count that readTotal replaces', () => fullLiveMessageCount(db)],
    ['countMessages (today)', () => repo.countMessages(db, today)],
    ['focusMsBetween (everyone, today)', () => repo.focusMsBetween(db, today, now, now)],
    ['focusMsBetween (everyone, this week)', () => repo.focusMsBetween(db, week, now, now)],
    ['me: countMessages (own)', () => repo.countMessages(db, 0, userId)],
    ['me: focusDays', () => repo.focusDays(db, userId)],
    ['me: dailyActivity (30 days)', () => repo.dailyActivity(db, userId, boundaries)],
    ['me: focusMsBetween (today)', () => repo.focusMsBetween(db, today, now, now, userId)],
    ['me: focusMsBetween (week)', () => repo.focusMsBetween(db, week, now, now, userId)],
    ['chat: countLiveMessages', () => chatRepo.countLiveMessages(db)],
    ['chat: listMessages (latest 50)', () => chatRepo.listMessages(db, { limit: 50 })],
  ];
  const rows: { name: string; medianMs: number; maxMs: number }[] = [];
  for (const [name, query] of queries) {
    await query();
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await query();
      times.push(performance.now() - t0);
    }
    const summary = summarize(times);
    rows.push({ name, medianMs: summary.p50, maxMs: summary.max });
  }
  return rows;
}
