import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { openSocket } from '../helpers/socket.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real server process, as `npm start` runs it but from the TypeScript source. */
function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  const listening = async () => {
    const deadline = Date.now() + 60_000;
    while (!stdout.includes('Server listening')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${stdout}${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, listening };
}

describe('the server process', () => {
  it('exits 1 with one line when production has no SECRET_KEY', async () => {
    const run = await startServer({ NODE_ENV: 'production', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cc-')) }).exited;
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/SECRET_KEY is required/);
  });

  it('keeps a generated development key in the data folder, readable only by its owner', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cc-'));
    const server = startServer({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    await server.listening();
    const keyFile = path.join(dataDir, 'secret_key');
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    server.child.kill('SIGTERM');
    const run = await server.exited;
    expect(run.stdout).toContain('SECRET_KEY is not set');
    expect(run.code).toBe(0);
  });

  it('shuts down on SIGINT within 10 s, with exit 0 and nothing on stderr', async () => {
    const port = await freePort();
    const server = startServer({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cc-')), PORT: String(port) });
    await server.listening();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const started = Date.now();
    server.child.kill('SIGINT');
    const run = await server.exited;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('shutting down');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('logs who changed whom on the admin API, by id, with no email or token', async () => {
    const port = await freePort();
    const env = { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cc-')), PORT: String(port) };
    const server = startServer(env);
    await server.listening();
    const base = `http://127.0.0.1:${port}`;
    const register = async (email: string) => {
      const response = await fetch(`${base}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'password-123' }),
      });
      const { access_token: token } = (await response.json()) as { access_token: string };
      const me = (await (await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        id: number;
      };
      return { token, id: me.id };
    };
    const admin = await register('boss@example.com');
    const member = await register('member@example.com');
    const changed = await fetch(`${base}/api/admin/users/${member.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(changed.status).toBe(200);
    server.child.kill('SIGINT');
    const run = await server.exited;
    // The first account is the admin by itself, and the log says so (by id).
    expect(run.stdout.split('\n').filter((line) => line.includes('first account on this instance'))).toEqual([
      expect.stringContaining(`"userId":${admin.id}`),
    ]);
    const trail = run.stdout
      .split('\n')
      .filter((line) => line.includes('admin changed an account'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(trail).toEqual([
      expect.objectContaining({ adminId: admin.id, userId: member.id, change: { disabled: true } }),
    ]);
    for (const secret of ['boss@example.com', 'member@example.com', admin.token]) {
      expect(run.stdout).not.toContain(secret);
    }
  });

  it('closes open WebSockets with 1001 on SIGTERM and still exits 0 quickly', async () => {
    const port = await freePort();
    const server = startServer({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cc-')), PORT: String(port) });
    await server.listening();
    const base = `http://127.0.0.1:${port}`;
    const registered = await fetch(`${base}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'shutdown@example.com', password: 'password-123' }),
    });
    const { access_token: token } = (await registered.json()) as { access_token: string };
    const socket = await openSocket(base, { token });
    await socket.next('hello');
    const started = Date.now();
    server.child.kill('SIGTERM');
    expect((await socket.closed).code).toBe(1001);
    const run = await server.exited;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
