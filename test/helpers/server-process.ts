import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { okJson } from './http.js';
import { freePort } from './ports.js';

/**
 * The real server as a process of its own (`node --import tsx src/server/server.ts`), so a test
 * can stop it (SIGTERM) and start it again on the same port and data: what a restart or a
 * deploy does to the pages connected to it.
 */
export interface ServerProcess {
  baseUrl: string;
  port: number;
  dataDir: string;
  /** Whether the process runs now. */
  readonly running: boolean;
  /** Everything it wrote, for a failure message. */
  readonly output: string;
  /** SIGTERM, and wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: no graceful shutdown at all. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder; resolves once `/healthz` answers. */
  start(): Promise<void>;
}

export interface ServerProcessOptions {
  env?: Record<string, string>;
}

/** Starting through tsx is slow on a busy machine. */
const READY_TIMEOUT_MS = 60_000;

export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'codechicks-process-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_FACTOR: '100',
    ...options.env,
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const start = async () => {
    if (child !== undefined) throw new Error('the server process is running already');
    const spawned = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    spawned.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    spawned.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) =>
      spawned.once('exit', () => {
        if (child === spawned) child = undefined;
        resolve();
      }),
    );
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child !== spawned) throw new Error(`the server process exited while starting:\n${output}`);
      const healthy = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return;
      if (Date.now() > deadline) {
        spawned.kill('SIGKILL');
        await exited;
        throw new Error(`the server process did not become healthy:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const stop = async () => {
    const running = child;
    if (running === undefined) return;
    running.kill('SIGTERM');
    const killer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };

  const kill = async () => {
    child?.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    baseUrl,
    port,
    dataDir,
    get running() {
      return child !== undefined;
    },
    get output() {
      return output;
    },
    stop,
    kill,
    start,
  };
}

export interface HttpUser {
  id: number;
  email: string;
  username: string;
  token: string;
  /** `Authorization` header of this user. */
  auth: { authorization: string };
}

let registered = 0;

/** Registers a user over HTTP and completes onboarding (a server process has no `inject`). */
export async function registerUserAt(
  baseUrl: string,
  options: { username?: string; displayName?: string } = {},
): Promise<HttpUser> {
  registered += 1;
  const username = options.username ?? `p${registered}_${process.pid % 100_000}_${Date.now() % 100_000}`;
  const email = `${username}@example.com`;
  const { access_token: token } = await okJson<{ access_token: string }>(baseUrl, {}, 'POST', '/auth/register', {
    email,
    password: 'correct horse battery',
  });
  const auth = { authorization: `Bearer ${token}` };
  const profile = { username, display_name: options.displayName ?? username };
  await okJson(baseUrl, auth, 'POST', '/api/profile/complete', profile);
  const { id } = await okJson<{ id: number }>(baseUrl, auth, 'GET', '/auth/me');
  return { id, email, username, token, auth };
}
