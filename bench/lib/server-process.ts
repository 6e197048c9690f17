/**
 * The server under measurement, in a process of its own so that the load generator and the
 * WebSocket clients do not share its event loop and its memory figures are its own.
 *
 *   app   <env JSON>  the CodeChicks app: loadConfig(env) → openDatabase → buildApp → listen
 *   relay | broadcast | idle   a baseline of `bench/baselines/`
 *
 * It listens on 127.0.0.1 and a free port, then talks to its parent over IPC (see child.ts).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { startBroadcast } from '../baselines/broadcast.js';
import { startIdleHolder } from '../baselines/idle.js';
import { startRelay } from '../baselines/relay.js';
import type { ChildReply, ChildRequest, ServerMode } from './child.js';
import { LISTEN_BACKLOG } from '../../src/server/http/listen.js';

const MAX_FRAME_BYTES = 16 * 1024;
const [mode, envJson] = process.argv.slice(2) as [ServerMode, string | undefined];

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
sampler.unref();
// Event-loop delay in 10 ms steps of sampling; the parent resets it at the start of a phase.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

function reply(message: ChildReply): void {
  process.send?.(message);
}

async function startApp(): Promise<{ port: number; close: () => Promise<void> }> {
  // Imported here, so that the relay baseline's memory holds none of the app.
  const { buildApp } = await import('../../src/server/app.js');
  const { loadConfig } = await import('../../src/server/config.js');
  const { openDatabase } = await import('../../src/server/db/database.js');
  const { resolveSecretKey } = await import('../../src/server/secret-key.js');
  const loaded = loadConfig(JSON.parse(envJson ?? '{}') as Record<string, string>);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const database = await openDatabase(loaded.config.databaseUrl);
  const app = await buildApp(resolveSecretKey(loaded.config, console.warn), { database });
  await app.listen({ host: '127.0.0.1', port: 0, backlog: LISTEN_BACKLOG });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return { port: address.port, close: () => app.close() };
}

const BASELINES = { relay: startRelay, broadcast: startBroadcast, idle: startIdleHolder };

async function main(): Promise<void> {
  const started = performance.now();
  const server = mode === 'app' ? await startApp() : await BASELINES[mode](MAX_FRAME_BYTES);
  process.on('message', (message: ChildRequest) => {
    switch (message.cmd) {
      case 'memory':
        reply({ kind: 'memory', rss: process.memoryUsage.rss(), peakRss, heapUsed: process.memoryUsage().heapUsed });
        return;
      case 'reset-peak':
        peakRss = process.memoryUsage.rss();
        reply({ kind: 'memory', rss: peakRss, peakRss, heapUsed: process.memoryUsage().heapUsed });
        return;
      case 'gc':
        for (let i = 0; i < 3; i++) globalThis.gc?.();
        reply({ kind: 'memory', rss: process.memoryUsage.rss(), peakRss, heapUsed: process.memoryUsage().heapUsed });
        return;
      case 'heap-snapshot':
        for (let i = 0; i < 3; i++) globalThis.gc?.();
        writeHeapSnapshot(message.file);
        reply({ kind: 'memory', rss: process.memoryUsage.rss(), peakRss, heapUsed: process.memoryUsage().heapUsed });
        return;
      case 'loop-delay': {
        const ms = (ns: number) => ns / 1e6;
        reply({
          kind: 'loop-delay',
          p50: ms(loopDelay.percentile(50)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
        });
        if (message.reset) loopDelay.reset();
        return;
      }
      case 'cpu':
        reply({ kind: 'cpu', ...process.cpuUsage() });
        return;
      case 'stop': {
        // A bound on closing: the parent kills the process if this does not finish.
        void server.close().finally(() => process.exit(0));
        return;
      }
    }
  });
  process.on('disconnect', () => process.exit(0));
  reply({ kind: 'ready', port: server.port, startMs: Math.round(performance.now() - started) });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
