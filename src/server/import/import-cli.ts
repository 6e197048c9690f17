import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, readEnvironment } from '../config.js';
import { openDatabase } from '../db/database.js';
import { formatReport } from './import-report.js';
import { importLegacyData, ImportInputError, type ImportSource } from './import.service.js';
import { createProgressRenderer } from './progress.js';

const USAGE = 'usage: npm run import -- --users users.json --messages messages.json [--dry-run]';

class UsageError extends Error {}

/** A file on disk, read in 1 MiB chunks each time the import reads it. */
export function fileSource(file: string): ImportSource {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}: no such file`);
  }
  return {
    name: path.basename(file),
    size,
    read: () => createReadStream(file, { highWaterMark: 1 << 20 }),
  };
}

function parse(argv: readonly string[]) {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        users: { type: 'string' },
        messages: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        jsonArray: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.users === undefined || values.messages === undefined) throw new UsageError(USAGE);
    return { users: values.users, messages: values.messages, dryRun: values['dry-run'] };
  } catch (error) {
    throw new UsageError(error instanceof UsageError ? error.message : `${(error as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const fail = (text: string) => {
    process.stderr.write(`codechicks import: ${text}\n`);
    process.exitCode = 1;
  };
  const result = loadConfig(readEnvironment());
  if (!result.ok) {
    for (const error of result.errors) fail(error);
    return;
  }
  let args;
  let sources;
  try {
    args = parse(process.argv.slice(2));
    sources = { users: fileSource(args.users), messages: fileSource(args.messages) };
  } catch (error) {
    fail((error as Error).message);
    return;
  }
  // Writing a million staged messages is one statement: longer than a request's 15 s bound.
  const database = await openDatabase(result.config.databaseUrl, { queryTimeoutMs: null });
  const progress = createProgressRenderer(process.stderr);
  try {
    const report = await importLegacyData(database.db, sources, {
      dryRun: args.dryRun,
      now: Date.now(),
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    for (const line of formatReport(report)) process.stdout.write(`${line}\n`);
  } catch (error) {
    progress.done();
    if (error instanceof ImportInputError) fail(`${error.message} (nothing was written)`);
    else fail(`the import failed, nothing was written: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
