import { randomBytes } from 'node:crypto';
import { startPostgres, withAdmin } from '../../test/helpers/postgres-server.js';

export interface BenchPostgres {
  /** A fresh, empty database for this run. */
  url: string;
  /** Where it came from, for the report. */
  source: string;
  version: string;
  /** Drops the database (and stops the private server, if we started one). */
  release(): Promise<void>;
}

/**
 * `BENCH_DATABASE_URL` (an admin URL allowed to create databases), else a private server from
 * /usr/lib/postgresql started like the tests do; undefined when neither is there.
 */
export async function obtainPostgres(adminUrlFromEnv: string | undefined): Promise<BenchPostgres | undefined> {
  let adminUrl = adminUrlFromEnv;
  let source = 'BENCH_DATABASE_URL';
  let stopServer: (() => void) | undefined;
  if (adminUrl === undefined) {
    const server = await startPostgres();
    if (server === undefined) return undefined;
    adminUrl = server.url;
    let stopped = false;
    stopServer = () => {
      if (stopped) return;
      stopped = true;
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      server.stop();
    };
    // Interrupted (Ctrl-C): the private cluster must not outlive us.
    const onSignal = (signal: NodeJS.Signals) => {
      stopServer?.();
      process.kill(process.pid, signal);
    };
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    source = 'private server (test/helpers/postgres-server.ts: fsync=off)';
  }
  const name = `codechicks_bench_${randomBytes(5).toString('hex')}`;
  try {
    const version = await withAdmin(adminUrl, async (client) => {
      await client.query(`create database ${name}`);
      const result = await client.query<{ server_version: string }>('show server_version');
      return result.rows[0]?.server_version ?? 'unknown';
    });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const admin = adminUrl;
    return {
      url: url.toString(),
      source,
      version,
      async release() {
        try {
          await withAdmin(admin, (client) => client.query(`drop database if exists ${name} with (force)`));
        } finally {
          stopServer?.();
        }
      },
    };
  } catch (error) {
    stopServer?.();
    throw error;
  }
}
