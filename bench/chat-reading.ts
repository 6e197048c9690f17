/**
 * Reading the chat at scale: search, `around=` and the unread counts over a seeded community
 * (by default 1,000,000 messages) on SQLite and PostgreSQL, the real app in its own process, real
 * HTTP. Baselines in the same run: `GET /auth/me` (the session check and one row by primary key,
 * for search) and the latest page `GET /api/chat/messages?limit=50` (for `around=` and unread).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase, type DialectName } from '../src/server/db/database.js';
import { api, appEnv, registerUser } from './lib/api.js';
import { startServer, type ServerChild } from './lib/child.js';
import { runLoad, type LoadResult } from './lib/http-load.js';
import { obtainPostgres } from './lib/postgres.js';
import { seedCommunity, type SeedSize } from './lib/seed.js';
import { round } from './lib/stats.js';

export interface ChatReadingOptions {
  size: SeedSize;
  /** One message in this many gets the rare word `zebrafish`. */
  rareEvery: number;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  dialects: readonly DialectName[];
  postgresAdminUrl?: string;
  log: (line: string) => void;
}

export interface ChatReadingDialect {
  dialect: DialectName;
  skipped?: string;
  messages?: number;
  seedSeconds?: number;
  routes: (LoadResult & { name: string })[];
}

export interface ChatReadingResult {
  options: Omit<ChatReadingOptions, 'log' | 'postgresAdminUrl'>;
  dialects: ChatReadingDialect[];
}

export const BASELINE_PK = 'baseline: GET /auth/me (primary-key lookup)';
export const BASELINE_LATEST = 'baseline: GET /api/chat/messages?limit=50 (latest page)';

export async function runChatReading(options: ChatReadingOptions): Promise<ChatReadingResult> {
  const dialects: ChatReadingDialect[] = [];
  for (const dialect of options.dialects) {
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-bench-'));
      try {
        dialects.push(await measure(options, 'sqlite', `sqlite:${path.join(dir, 'bench.db')}`, dir));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      continue;
    }
    const postgres = await obtainPostgres(options.postgresAdminUrl);
    if (postgres === undefined) {
      dialects.push({
        dialect,
        skipped: 'no BENCH_DATABASE_URL and no PostgreSQL under /usr/lib/postgresql',
        routes: [],
      });
      continue;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-bench-'));
    try {
      dialects.push(await measure(options, 'postgres', postgres.url, dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await postgres.release();
    }
  }
  const { size, rareEvery, concurrency, durationMs, warmupMs } = options;
  return { options: { size, rareEvery, concurrency, durationMs, warmupMs, dialects: options.dialects }, dialects };
}

async function measure(
  options: ChatReadingOptions,
  dialect: DialectName,
  url: string,
  dataDir: string,
): Promise<ChatReadingDialect> {
  const { log } = options;
  const handle = await openDatabase(url);
  let server: ServerChild | undefined;
  try {
    const started = performance.now();
    const seeded = await seedCommunity(handle, options.size, Date.now());
    // A rare word in a few messages, through an UPDATE: the database's own index keeping re-indexes them.
    await sql`update messages set content = content || ' zebrafish' where id % ${options.rareEvery} = 0`.execute(
      handle.db,
    );
    if (dialect === 'postgres') await sql`vacuum analyze messages`.execute(handle.db);
    const seedSeconds = round((performance.now() - started) / 1000);
    log(`[chat-reading/${dialect}] seeded ${seeded.lastMessageId} messages in ${seedSeconds} s`);

    server = await startServer('app', appEnv(url, dataDir));
    const me = await registerUser(server.baseUrl, 'bench_reader');
    const middle = Math.floor(seeded.lastMessageId / 2);
    // Read up to the middle: half a million unread, counted up to the cap.
    await api(server.baseUrl, 'PUT', '/api/chat/read', { token: me.token, body: { last_read_id: middle } });
    const check = await api<{ results: unknown[] }>(server.baseUrl, 'GET', '/api/chat/search?q=zebrafish', {
      token: me.token,
    });
    if (check.results.length === 0) throw new Error('search found nothing: seeding went wrong');

    const routes: [string, string][] = [
      [BASELINE_PK, '/auth/me'],
      [BASELINE_LATEST, '/api/chat/messages?limit=50'],
      [`search, rare word (1 in ${options.rareEvery})`, '/api/chat/search?q=zebrafish'],
      ['search, common word', '/api/chat/search?q=parser'],
      ['search, two common words', '/api/chat/search?q=refactor%20tokenizer'],
      ['extra: search, a prefix of a common word (pars*)', '/api/chat/search?q=pars*'],
      ['search, rare word, older than the middle', `/api/chat/search?q=zebrafish&before=${middle}`],
      ['around= the middle, limit 50', `/api/chat/messages?around=${middle}&limit=50`],
      ['unread (500,000 unread: counted to the cap)', '/api/chat/unread'],
    ];
    const figures: ChatReadingDialect['routes'] = [];
    for (const [name, route] of routes) {
      const result = await runLoad({
        baseUrl: server.baseUrl,
        path: route,
        headers: { authorization: `Bearer ${me.token}` },
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
      });
      figures.push({ name, ...result });
      log(`[chat-reading/${dialect}] ${name}: p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}`);
    }
    return { dialect, messages: seeded.lastMessageId, seedSeconds, routes: figures };
  } finally {
    await server?.stop();
    await handle.close();
  }
}
