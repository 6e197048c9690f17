import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from './stats.js';

export interface LoadOptions {
  /** e.g. `http://127.0.0.1:41234` */
  baseUrl: string;
  path: string;
  headers?: Record<string, string>;
  /** Workers, each sending its next request as soon as the previous answer arrived (closed loop). */
  concurrency: number;
  durationMs: number;
  /** Requests first sent and not counted, to warm caches, JIT and connections. */
  warmupMs: number;
  /** A hard bound on the requests of one phase, whatever the duration. */
  maxRequests?: number;
  /** One request that takes longer than this fails the run instead of hanging it. */
  requestTimeoutMs?: number;
  /** Called between the warm-up and the measurement (e.g. to read the server's CPU time). */
  onMeasureStart?: () => Promise<void>;
}

export interface LoadResult extends LatencySummary {
  path: string;
  concurrency: number;
  seconds: number;
  requestsPerSecond: number;
  /** Answers other than 2xx, and transport errors. */
  errors: number;
  statuses: Record<string, number>;
  bytesPerResponse: number;
}

/**
 * A small closed-loop load generator over keep-alive HTTP/1.1: N workers for T seconds after a
 * warm-up, recording the latency of every request (from writing it to reading the whole body).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.concurrency,
    maxFreeSockets: options.concurrency,
  });
  const maxRequests = options.maxRequests ?? 1_000_000;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  try {
    await phase(options.warmupMs, maxRequests, false);
    await options.onMeasureStart?.();
    return await phase(options.durationMs, maxRequests, true);
  } finally {
    agent.destroy();
  }

  async function phase(durationMs: number, limit: number, record: boolean): Promise<LoadResult> {
    const latencies = new Float64Array(limit);
    const statuses: Record<string, number> = {};
    let count = 0;
    let errors = 0;
    let bytes = 0;
    const started = performance.now();
    const deadline = started + durationMs;
    const worker = async () => {
      while (performance.now() < deadline && count < limit) {
        const index = count++;
        const t0 = performance.now();
        const answer = await request();
        latencies[index] = performance.now() - t0;
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        bytes += answer.bytes;
        if (!answer.status.startsWith('2')) errors += 1;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const summary = summarize(record ? latencies.subarray(0, count) : []);
    return {
      path: options.path,
      concurrency: options.concurrency,
      seconds: Math.round(seconds * 100) / 100,
      ...summary,
      requestsPerSecond: Math.round(count / seconds),
      errors,
      statuses,
      bytesPerResponse: count === 0 ? 0 : Math.round(bytes / count),
    };
  }

  function request(): Promise<{ status: string; bytes: number }> {
    return new Promise((resolve) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: options.path,
          method: 'GET',
          headers: options.headers,
          timeout: timeoutMs,
        },
        (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => resolve({ status: String(res.statusCode ?? 0), bytes }));
          res.on('error', () => resolve({ status: 'error', bytes }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 'error', bytes: 0 }));
      req.end();
    });
  }
}
