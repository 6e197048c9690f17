/**
 * Logins flooded at twice the hashing capacity: does the rest of the server stay responsive?
 *
 * 1. Capacity: logins with the right password, closed loop with one worker per core: logins/s.
 * 2. Alone: `GET /api/chat/status` (a session check and a count) alone, closed loop.
 * 3. Flood: logins sent open loop at twice that rate, while the same route is loaded again.
 * 2 and 3 are interleaved `rounds` times (3), so a change of the machine's load moves both.
 *
 * The figure that matters is the route's p99 during the flood as a ratio to its p99 alone in the
 * same round: the median round's, with the others; and what the logins got (200 within capacity,
 * 503 `busy` for the excess).
 *
 * With `taskset` and 2+ CPUs, the server runs on CPU 0 only and this process (the load generator)
 * on the others, so neither takes the other's CPU (issue 10's method); the server then sizes its
 * hashing for the one CPU it has.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { appEnv, BENCH_PASSWORD, registerUser } from './lib/api.js';
import { startServer } from './lib/child.js';
import { runLoad, type LoadResult } from './lib/http-load.js';
import { round, summarize, type LatencySummary } from './lib/stats.js';
import { LOAD_CPU, pin, SERVER_CPU, unpin } from './lib/cpus.js';

export interface LoginsOptions {
  /** Seconds of each measured phase. */
  durationMs: number;
  warmupMs: number;
  /** Workers on the baseline route. */
  concurrency: number;
  /** Alone / flood pairs. */
  rounds: number;
  log: (line: string) => void;
}

export interface LoginsResult {
  options: Omit<LoginsOptions, 'log'>;
  cores: number;
  baseline: LoadResult;
  capacityPerSecond: number;
  capacityLatency: LatencySummary;
  floodRatePerSecond: number;
  duringFlood: LoadResult;
  logins: { sent: number; statuses: Record<string, number>; latency: LatencySummary };
  /** The median round's ratio (its figures are `baseline`, `duringFlood` and `logins`). */
  p99Ratio: number;
  rounds: { p99Alone: number; p99Flood: number; p99Ratio: number }[];
  /** CPUs of the server and of the load generator, or why they were not pinned. */
  pinning: string;
  loadAverage: { before: number[]; after: number[] };
}

export async function runLogins(options: LoginsOptions): Promise<LoginsResult> {
  const { log } = options;
  const loadBefore = os.loadavg();
  // Read before this process is pinned to fewer CPUs.
  const cores = os.availableParallelism();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'codechicks-bench-logins-'));
  const server = await startServer('app', appEnv(`sqlite:${path.join(dir, 'bench.db')}`, dir), { cpu: SERVER_CPU });
  const pinning =
    server.pinnedTo === undefined
      ? `not pinned (${cores} CPU, taskset ${cores >= 2 ? 'missing' : 'unused'})`
      : `server pinned to CPU ${server.pinnedTo}, load generator to CPU ${LOAD_CPU}`;
  log(`[logins] ${pinning}`);
  if (server.pinnedTo !== undefined) pin(process.pid, LOAD_CPU);
  try {
    const user = await registerUser(server.baseUrl, 'bench_login');
    const email = `${user.username}@bench.example`;
    const status = {
      baseUrl: server.baseUrl,
      path: '/api/chat/status',
      headers: { authorization: `Bearer ${user.token}` },
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
    };
    log(`[logins] capacity: logins with ${cores} workers (closed loop), ${options.durationMs / 1000} s`);
    const capacity = await loginsClosedLoop(server.baseUrl, email, cores, options.durationMs);
    const capacityPerSecond = capacity.count / (options.durationMs / 1000);
    const floodRatePerSecond = Math.max(1, Math.round(2 * capacityPerSecond));

    const rounds = [];
    for (let i = 1; i <= options.rounds; i++) {
      log(
        `[logins] round ${i}/${options.rounds}: GET /api/chat/status alone, then beside ${floodRatePerSecond} logins/s ` +
          `(2 × ${round(capacityPerSecond)}), ${options.durationMs / 1000} s each`,
      );
      const baseline = await runLoad(status);
      const flood = loginsOpenLoop(server.baseUrl, email, floodRatePerSecond, options.warmupMs + options.durationMs);
      const duringFlood = await runLoad(status);
      // Every login answered: the hashing queue is empty before the next round's "alone".
      const logins = await flood;
      rounds.push({ baseline, duringFlood, logins, p99Ratio: baseline.p99 === 0 ? 0 : duringFlood.p99 / baseline.p99 });
    }
    const byRatio = [...rounds].sort((a, b) => a.p99Ratio - b.p99Ratio);
    const { baseline, duringFlood, logins, p99Ratio } = byRatio[Math.floor((byRatio.length - 1) / 2)]!;
    return {
      options: {
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        concurrency: options.concurrency,
        rounds: options.rounds,
      },
      cores,
      baseline,
      capacityPerSecond: round(capacityPerSecond),
      capacityLatency: capacity.latency,
      floodRatePerSecond,
      duringFlood,
      logins,
      p99Ratio: round(p99Ratio),
      rounds: rounds.map((r) => ({
        p99Alone: r.baseline.p99,
        p99Flood: r.duringFlood.p99,
        p99Ratio: round(r.p99Ratio),
      })),
      pinning,
      loadAverage: { before: loadBefore, after: os.loadavg() },
    };
  } finally {
    unpin(process.pid);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function login(baseUrl: string, email: string): Promise<{ status: string; ms: number }> {
  const url = new URL(baseUrl);
  const body = JSON.stringify({ email, password: BENCH_PASSWORD });
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/auth/login',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: String(res.statusCode ?? 0), ms: performance.now() - started }));
        res.on('error', () => resolve({ status: 'error', ms: performance.now() - started }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 'error', ms: performance.now() - started }));
    req.end(body);
  });
}

async function loginsClosedLoop(baseUrl: string, email: string, workers: number, durationMs: number) {
  const deadline = performance.now() + durationMs;
  const latencies: number[] = [];
  const worker = async () => {
    while (performance.now() < deadline && latencies.length < 100_000) {
      const answer = await login(baseUrl, email);
      if (answer.status === '200') latencies.push(answer.ms);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { count: latencies.length, latency: summarize(latencies) };
}

/** Sends `rate` logins a second for `durationMs`, whatever the answers (open loop), and waits for them. */
async function loginsOpenLoop(baseUrl: string, email: string, rate: number, durationMs: number) {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const total = Math.min(100_000, Math.round((rate * durationMs) / 1000));
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      login(baseUrl, email).then((answer) => {
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status === '200') latencies.push(answer.ms);
      }),
    );
  }
  await Promise.all(pending);
  return { sent: total, statuses, latency: summarize(latencies) };
}
