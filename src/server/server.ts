import { buildApp, type App } from './app.js';
import { loadConfig, readEnvironment, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { resolveSecretKey } from './secret-key.js';
import { LISTEN_BACKLOG } from './http/listen.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const result = loadConfig(readEnvironment());
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`codechicks: ${error}\n`);
    process.exit(1);
  }
  let config: Config;
  try {
    config = resolveSecretKey(result.config, (message) => process.stdout.write(`codechicks: warning: ${message}\n`));
  } catch (error) {
    process.stderr.write(`codechicks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }

  let app: App;
  try {
    const database = await openDatabase(config.databaseUrl);
    app = await buildApp(config, { database });
    await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });
  } catch (error) {
    process.stderr.write(`codechicks: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      app.log.warn('shutdown took longer than 10 s: exiting anyway');
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
