/**
 * The server under measurement, in a process of its own so that the load generator and the
 * WebSocket clients do not share its event loop and its memory figures are its own.
 *
 *   app   <env JSON>  the CodeChicks app: loadConfig(env) → openDatabase → buildApp → listen
 *   relay             the fan-out baseline: a bare `ws` server relaying every frame to every client
 *
 * It listens on 127.0.0.1 and a free port, then talks to its parent over IPC (see child.ts).
 */
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type RawData } from 'ws';
import type { ChildReply, ChildRequest } from './child.js';

const MAX_FRAME_BYTES = 16 * 1024;
const [mode, envJson] = process.argv.slice(2);

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
sampler.unref();

function reply(message: ChildReply): void {
  process.send?.(message);
}

async function startApp(): Promise<{ port: number; close: () => Promise<void> }> {
  // Imported here, so that the relay baseline's memory holds none of the app.
  const { buildApp } = await import('../../src/server/app.js');
  const { loadConfig } = await import('../../src/server/config.js');
  const { openDatabase } = await import('../../src/server/db/database.js');
  const loaded = loadConfig(JSON.parse(envJson ?? '{}') as Record<string, string>);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const database = await openDatabase(loaded.config.databaseUrl);
  const app = await buildApp(loaded.config, { database });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return { port: address.port, close: () => app.close() };
}

async function startRelay(): Promise<{ port: number; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: MAX_FRAME_BYTES });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', (socket) => {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(data, { binary: isBinary });
    });
  });
  const address = wss.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const server = mode === 'relay' ? await startRelay() : await startApp();
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
