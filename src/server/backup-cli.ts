import path from 'node:path';
import { loadConfig, readEnvironment } from './config.js';
import { backupSqlite } from './db/backup.js';

/** `npm run backup [-- <file>]`: an online copy of the SQLite database (default under DATA_DIR/backups). */
async function main(): Promise<void> {
  const result = loadConfig(readEnvironment());
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`codechicks: ${error}\n`);
    process.exit(1);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const destination = process.argv[2] ?? path.join(result.config.dataDir, 'backups', `codechicks-${stamp}.db`);
  try {
    const pages = await backupSqlite(result.config.databaseUrl, destination);
    process.stdout.write(`codechicks: backed up ${pages} pages to ${destination}\n`);
  } catch (error) {
    process.stderr.write(`codechicks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

void main();
