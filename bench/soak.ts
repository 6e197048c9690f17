/**
 * Soak: S sockets chatting and T timers cycling for D seconds against one server process (SQLite).
 * Counts every error answer, reads the heap after full garbage collections once warmed up and at
 * the end, and counts the process' open file descriptors before, during and after the clients.
 */
import http from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { appEnv, registerUsers, type BenchUser } from './lib/api.js';
import { startServer, type Memory } from './lib/child.js';
import { mib, round } from './lib/stats.js';
import { connectClients, sleep, terminateAll, waitForQuiet } from './lib/ws-clients.js';

export interface SoakOptions {
  sockets: number;
  /** Sockets per person, as tabs are (and under any per-person cap). */
  socketsPerUser: number;
  timers: number;
  durationMs: number;
  /** Messages per second, all senders together (each one reaches every socket). */
  ratePerSecond: number;
  log: (line: string) => void;
}

export interface SoakResult {
  sockets: number;
  timers: number;
  seconds: number;
  messagesSent: number;
  acks: number;
  timerCalls: number;
  errors: { chat: number; timer: number; closes: number; samples: string[] };
  heapAfterWarmupMiB: number;
  heapAtEndMiB: number;
  heapGrowthPercent: number;
  rssAtEndMiB: number;
  fds: { baseline: number; loaded: number; afterLeaving: number };
}

const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { log } = options;
  const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-soak-'));
  const server = await startServer('app', appEnv(`sqlite:${path.join(dir, 'soak.db')}`, dir));
  try {
    const people = Math.max(options.timers, Math.ceil(options.sockets / options.socketsPerUser));
    log(`soak: registering ${people} users…`);
    const users = await registerUsers(server.baseUrl, 'soak_', people);
    await sleep(1_000);
    const baselineFds = openFds(server.pid);
    const errors: SoakResult['errors'] = { chat: 0, timer: 0, closes: 0, samples: [] };
    const fail = (kind: 'chat' | 'timer', what: string) => {
      errors[kind] += 1;
      if (errors.samples.length < 10) errors.samples.push(what.slice(0, 200));
    };
    let acks = 0;
    let stopping = false;
    const url = server.baseUrl.replace(/^http/, 'ws') + '/ws';
    const clients = await connectClients({
      urls: [url],
      tokens: Array.from({ length: options.sockets }, (_, i) => users[i % users.length]?.token),
      parallel: 10,
      timeoutMs: 30_000,
      onFrame: (_index, data) => {
        const head = data.subarray(0, 16).toString();
        if (head.startsWith('{"type":"error"')) fail('chat', data.toString());
        else if (head.startsWith('{"type":"ack"')) acks += 1;
      },
    });
    for (const client of clients) client.ws.on('close', () => !stopping && (errors.closes += 1));
    log(`soak: ${clients.length} sockets open; ${options.timers} timers cycling; ${options.durationMs / 1000} s…`);

    const started = performance.now();
    const deadline = started + options.durationMs;
    const warmupMs = Math.min(60_000, options.durationMs / 5);
    let sent = 0;
    const chatting = (async () => {
      while (performance.now() < deadline) {
        const due = started + (sent * 1_000) / options.ratePerSecond;
        if (due > performance.now()) await sleep(due - performance.now());
        const client = clients[sent % clients.length];
        client?.ws.send(JSON.stringify({ type: 'message.send', ref: `s${sent}`, content: `soak message ${sent}` }));
        sent += 1;
      }
    })();
    // Its own keep-alive agent, destroyed when the clients leave: its sockets count as the clients'.
    const agent = new http.Agent({ keepAlive: true });
    let timerCalls = 0;
    const cycle = async (user: BenchUser) => {
      for (let c = 0; performance.now() < deadline; c++) {
        for (const route of ['/api/timer/start', '/api/timer/pause']) {
          timerCalls += 1;
          const body = route.endsWith('start') ? { label: `soak ${c}` } : {};
          const answer = await post(agent, server.baseUrl + route, user.token, body).catch(
            (error: unknown) => error as Error,
          );
          if (answer instanceof Error) fail('timer', `${route}: ${answer.message}`);
          else if (answer.status !== 200) fail('timer', `${route}: HTTP ${answer.status} ${answer.text}`);
          await sleep(500);
        }
      }
    };
    const cycling = Promise.all(users.slice(0, options.timers).map(cycle));

    await sleep(warmupMs);
    const warm: Memory = await server.memoryAfterGc();
    const loadedFds = openFds(server.pid);
    log(`soak: warmed up after ${round(warmupMs / 1000)} s: heap ${mib(warm.heapUsed)} MiB, ${loadedFds} fds`);
    await Promise.all([chatting, cycling]);
    await waitForQuiet(clients, 2_000, 120_000);
    const end = await server.memoryAfterGc();

    stopping = true;
    terminateAll(clients);
    agent.destroy();
    let afterLeaving = openFds(server.pid);
    for (let waited = 0; afterLeaving > baselineFds && waited < 30_000; waited += 250) {
      await sleep(250);
      afterLeaving = openFds(server.pid);
    }
    return {
      sockets: clients.length,
      timers: options.timers,
      seconds: round((performance.now() - started) / 1000),
      messagesSent: sent,
      acks,
      timerCalls,
      errors,
      heapAfterWarmupMiB: mib(warm.heapUsed),
      heapAtEndMiB: mib(end.heapUsed),
      heapGrowthPercent: round(((end.heapUsed - warm.heapUsed) / warm.heapUsed) * 100),
      rssAtEndMiB: mib(end.rss),
      fds: { baseline: baselineFds, loaded: loadedFds, afterLeaving },
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One JSON POST over the agent's keep-alive connections. */
function post(agent: http.Agent, url: string, token: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out after 30 s')));
    request.on('error', reject);
    request.end(payload);
  });
}
