/**
 * `tsx bench/import.ts [--users=100000] [--messages=1000000] [--sqlite-only]`
 *
 * Generates a Python export (bench/python-export.ts), then times `npm run import` on it as a
 * process of its own, on SQLite and on PostgreSQL, with its peak RSS from `/usr/bin/time`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { obtainPostgres } from './lib/postgres.js';
import { writePythonExport } from './python-export.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '1000000' },
    'sqlite-only': { type: 'boolean', default: false },
  },
});
const size = {
  users: Number(values.users),
  messages: Number(values.messages),
  mode: 'relaxed' as const,
  jsonArray: false,
};
const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-bench-import-'));

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(', ');

async function timeImport(databaseUrl: string, files: { users: string; messages: string }) {
  const loadBefore = load();
  const { stderr, stdout } = await run(
    '/usr/bin/time',
    [
      '-f',
      'BENCH %e %M',
      process.execPath,
      '--import',
      'tsx',
      'src/server/import/import-cli.ts',
      '--users',
      files.users,
      '--messages',
      files.messages,
    ],
    { env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, DATA_DIR: dir, NODE_ENV: 'test' }, maxBuffer: 1 << 26 },
  );
  const [, seconds, kb] = /BENCH ([\d.]+) (\d+)/.exec(stderr) ?? [];
  return {
    seconds: Number(seconds),
    peakMb: Math.round(Number(kb) / 1024),
    report: `${stdout.split('\n').slice(0, 2).join(' ')} (load average ${loadBefore} → ${load()})`,
  };
}

try {
  const started = Date.now();
  const files = await writePythonExport(dir, size);
  const mb = (file: string) => Math.round(statSync(file).size / 1e6);
  console.log(
    `export: ${size.users} users (${mb(files.users)} MB), ${size.messages} messages (${mb(files.messages)} MB), written in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  const sqlite = await timeImport(`sqlite:${path.join(dir, 'bench.db')}`, files);
  console.log(`| SQLite | ${sqlite.seconds} s | ${sqlite.peakMb} MB |  ${sqlite.report}`);
  if (!values['sqlite-only']) {
    const postgres = await obtainPostgres(process.env.BENCH_DATABASE_URL);
    if (postgres === undefined) console.log('PostgreSQL: none found, skipped');
    else {
      try {
        const result = await timeImport(postgres.url, files);
        console.log(`| PostgreSQL ${postgres.version} | ${result.seconds} s | ${result.peakMb} MB |  ${result.report}`);
      } finally {
        await postgres.release();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
