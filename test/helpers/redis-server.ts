import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.js';

export interface RedisServer {
  url: string;
  /** Stops the server (as an outage would) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (it keeps nothing on disk). */
  start(): Promise<void>;
}

/** True when `redis-server` is on the PATH. In CI a missing one fails the suites that need it. */
export const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) {
  if (process.env.CI === 'true') throw new Error('CI=true but redis-server is missing: install redis-server');
  console.warn('\n!!! No redis-server here: the multi-instance (Redis) suites are SKIPPED.\n');
}

/** A private Redis on 127.0.0.1 and a free port, with no persistence; stop it with `stop()`. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const spawned = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    child = spawned;
    exited = new Promise((resolve) => spawned.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${seen}`)), 10_000);
      spawned.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child?.kill('SIGKILL');
      await exited;
      child = undefined;
    },
    start,
  };
}
