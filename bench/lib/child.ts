import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canPin } from './cpus.js';

/** The app, or one of the baselines of `bench/baselines/`. */
export type ServerMode = 'app' | 'relay' | 'broadcast' | 'idle';

export type ChildRequest =
  | { cmd: 'memory' }
  | { cmd: 'reset-peak' }
  | { cmd: 'cpu' }
  | { cmd: 'stop' }
  /** Writes a heap snapshot (after full collections) to `file`, answered with the memory figures. */
  | { cmd: 'heap-snapshot'; file: string }
  /** Event-loop delay since the last reset (`monitorEventLoopDelay`), then optionally a reset. */
  | { cmd: 'loop-delay'; reset: boolean }
  /** Full garbage collections, then the memory figures (the child runs with --expose-gc). */
  | { cmd: 'gc' };
export type ChildReply =
  | { kind: 'ready'; port: number; startMs: number }
  | { kind: 'memory'; rss: number; peakRss: number; heapUsed: number }
  | { kind: 'cpu'; user: number; system: number }
  | { kind: 'loop-delay'; p50: number; p99: number; max: number };

/** Event-loop delay in ms. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export interface ServerStartOptions {
  /** Pin the process (all its threads) to this CPU, when the machine has taskset and 2+ cores. */
  cpu?: number;
  /** Write a V8 CPU profile (`--cpu-prof`) into this folder when the process exits. */
  cpuProfileDir?: string;
}

export interface Memory {
  rss: number;
  peakRss: number;
  heapUsed: number;
}

export interface ServerChild {
  pid: number;
  port: number;
  baseUrl: string;
  memory(): Promise<Memory>;
  /** Starts a new peak-RSS window (the child samples its RSS every 20 ms). */
  resetPeak(): Promise<Memory>;
  /** CPU time used by the server process so far, in ms (user + system). */
  cpuMs(): Promise<number>;
  /** Memory after full garbage collections: what is still referenced, not what awaits collection. */
  memoryAfterGc(): Promise<Memory>;
  /** A heap snapshot written to `file` (open it in Chrome DevTools' Memory tab). */
  heapSnapshot(file: string): Promise<Memory>;
  /** Event-loop delay since the last reset; `reset` starts a new window. */
  loopDelay(reset: boolean): Promise<LoopDelay>;
  /** The CPU the process was pinned to, or undefined. */
  pinnedTo: number | undefined;
  stop(): Promise<void>;
}

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-process.ts');
const START_TIMEOUT_MS = 60_000;
const REPLY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

/** Starts `server-process.ts` (`app` with this environment, or a baseline) under tsx. */
export async function startServer(
  mode: ServerMode,
  env: Record<string, string> = {},
  options: ServerStartOptions = {},
): Promise<ServerChild> {
  const profile = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  // --expose-gc lets a benchmark ask for a collection before it reads the heap (IPC only: no route).
  const nodeArgs = ['--import', 'tsx', '--expose-gc', ...profile];
  const pinnedTo = options.cpu !== undefined && canPin() ? options.cpu : undefined;
  const child = fork(ENTRY, [mode, JSON.stringify(env)], {
    // Pinned from its first instruction (taskset execs node), so the server sizes its password
    // hashing for the CPUs it really has, and every thread it starts inherits the pinning.
    ...(pinnedTo === undefined
      ? { execArgv: nodeArgs }
      : { execPath: 'taskset', execArgv: ['--cpu-list', String(pinnedTo), process.execPath, ...nodeArgs] }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextReply(child, 'ready', START_TIMEOUT_MS);
  const port = ready.port;

  async function ask<K extends ChildReply['kind']>(request: ChildRequest, kind: K, timeoutMs = REPLY_TIMEOUT_MS) {
    const answer = nextReply(child, kind, timeoutMs);
    child.send(request);
    return answer;
  }

  return {
    pid: child.pid ?? 0,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    memory: async () => strip(await ask({ cmd: 'memory' }, 'memory')),
    resetPeak: async () => strip(await ask({ cmd: 'reset-peak' }, 'memory')),
    cpuMs: async () => {
      const cpu = await ask({ cmd: 'cpu' }, 'cpu');
      return (cpu.user + cpu.system) / 1000;
    },
    // Under load the reply waits behind the event loop's backlog (and the collections themselves).
    memoryAfterGc: async () => strip(await ask({ cmd: 'gc' }, 'memory', 120_000)),
    heapSnapshot: async (file) => strip(await ask({ cmd: 'heap-snapshot', file }, 'memory', 300_000)),
    loopDelay: async (reset) => {
      const { p50, p99, max } = await ask({ cmd: 'loop-delay', reset }, 'loop-delay', 60_000);
      return { p50, p99, max };
    },
    pinnedTo,
    stop: () => stopChild(child),
  };
}

function strip(memory: Memory): Memory {
  return { rss: memory.rss, peakRss: memory.peakRss, heapUsed: memory.heapUsed };
}

function nextReply<K extends ChildReply['kind']>(
  child: ChildProcess,
  kind: K,
  timeoutMs: number,
): Promise<Extract<ChildReply, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildReply) => {
      if (message.kind !== kind) return;
      done();
      resolve(message as Extract<ChildReply, { kind: K }>);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`the server process exited (code ${code}) before answering ${kind}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the server process did not answer ${kind} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ cmd: 'stop' } satisfies ChildRequest);
    else child.kill('SIGTERM');
  });
}
