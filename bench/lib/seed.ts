import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import type { Database } from '../../src/server/db/schema.js';

export interface SeedSize {
  users: number;
  messages: number;
  focusRuns: number;
  timers: number;
  runningTimers: number;
  days: number;
}

export interface SeedReport {
  firstUserId: number;
  lastMessageId: number;
  milliseconds: Record<string, number>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PRIME = 4_294_967_291;
const LOREM =
  'Pairing on the flaky test again; the fix was a missing await in the retry loop. ' +
  'Anyone tried the new profiler? Deep work block done, two hours on the parser and a nice ' +
  'refactor of the tokenizer. Coffee, then code review. Ship it!';

/**
 * A deterministic pseudo-random integer in [0, 4294967291) per row `i` and per stream `k`:
 * the same data on SQLite and PostgreSQL, whose random() differ (and SQLite may evaluate a
 * random() twice when it flattens a subquery).
 */
function h(k: number): string {
  const multipliers = [2_654_435_761, 2_246_822_519, 3_266_489_917, 668_265_263, 374_761_393, 1_181_783_497];
  return `((i * ${multipliers[k % multipliers.length]} + ${k * 7_919}) % ${PRIME})`;
}

/** Rows per statement: well under the app's PostgreSQL query timeout even on a busy machine. */
const CHUNK = 50_000;

/**
 * Inserts one row per i in 1..n, set-based (SQLite's WITH RECURSIVE, PostgreSQL's
 * generate_series), in statements of CHUNK rows.
 */
async function insertSeries(
  handle: DatabaseHandle,
  n: number,
  table: string,
  columns: readonly string[],
  select: readonly string[],
): Promise<void> {
  for (let lo = 1; lo <= n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK - 1);
    const into = `insert into ${table} (${columns.join(', ')}) select ${select.join(', ')}`;
    const text =
      handle.dialect === 'sqlite'
        ? `with recursive s(i) as (select ${lo} union all select i + 1 from s where i < ${hi}) ${into} from s`
        : `${into} from generate_series(${lo}::bigint, ${hi}) as s(i)`;
    await sql.raw(text).execute(handle.db);
  }
}

async function timed(log: Record<string, number>, name: string, work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  await work();
  log[name] = Math.round(performance.now() - started);
}

/** Fills a freshly migrated database: users, messages, finished focus runs and some running timers. */
export async function seedCommunity(handle: DatabaseHandle, size: SeedSize, now: number): Promise<SeedReport> {
  const { db } = handle;
  const ms: Record<string, number> = {};
  const from = now - size.days * DAY;
  const span = size.days * DAY;
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

  await timed(ms, 'users', () =>
    insertSeries(
      handle,
      size.users,
      'users',
      [
        'email',
        'username',
        'display_name',
        'timezone',
        'profile_complete',
        'share_focus',
        'role',
        'disabled',
        'token_version',
        'created_at',
        'updated_at',
        'last_seen_at',
      ],
      [
        `'seed' || i || '@bench.example'`,
        `'seed_' || i`,
        `'Seed ' || i`,
        `case i % 4 when 0 then 'UTC' when 1 then 'Europe/Berlin' when 2 then 'America/New_York' else 'Asia/Tokyo' end`,
        '1',
        '1',
        `'user'`,
        '0',
        '0',
        `${from - 30 * DAY} + (i - 1) * ${span + 30 * DAY} / ${size.users}`,
        `${from - 30 * DAY} + (i - 1) * ${span + 30 * DAY} / ${size.users}`,
        `${now} - ${h(0)} % ${3 * DAY}`,
      ],
    ),
  );
  const ids = await db
    .selectFrom('users')
    .select((eb) => [eb.fn.min<number>('id').as('first'), eb.fn.max<number>('id').as('last')])
    .where('email', 'like', 'seed%@bench.example')
    .executeTakeFirstOrThrow();
  const firstUserId = Number(ids.first);
  if (Number(ids.last) - firstUserId + 1 !== size.users) throw new Error('seeded user ids are not contiguous');

  const base = await lastMessageId(db);
  const createdAt = `(${from} + (i - 1) * ${span} / ${size.messages})`;
  await timed(ms, 'messages', () =>
    insertSeries(
      handle,
      size.messages,
      'messages',
      ['id', 'user_id', 'content', 'reply_to_id', 'created_at', 'deleted_at'],
      [
        `${base} + i`,
        `${firstUserId} + ${h(1)} % ${size.users}`,
        `substr(${quote(LOREM)}, cast(1 + ${h(2)} % 60 as integer), cast(16 + ${h(3)} % 140 as integer))`,
        `case when ${h(4)} % 20 = 0 and i > 100 then ${base} + i - 1 - ${h(5)} % 50 else null end`,
        createdAt,
        `case when ${h(0)} % 100 < 2 then ${createdAt} + ${10 * MINUTE} else null end`,
      ],
    ),
  );
  await sql`update chat_sequence set last_id = coalesce((select max(id) from messages), last_id) where name = 'messages'`.execute(
    db,
  );

  const duration = `((5 + ${h(2)} % 86) * ${MINUTE})`;
  const startedAt = `(${from} + (i - 1) * ${span - 2 * HOUR} / ${size.focusRuns})`;
  await timed(ms, 'focus_sessions', () =>
    insertSeries(
      handle,
      size.focusRuns,
      'focus_sessions',
      ['user_id', 'started_at', 'ended_at', 'duration_ms', 'label'],
      [
        `${firstUserId} + ${h(1)} % ${size.users}`,
        startedAt,
        `${startedAt} + ${duration}`,
        duration,
        `case ${h(3)} % 3 when 0 then 'Focus' when 1 then 'Deep work' else 'Reading' end`,
      ],
    ),
  );

  await timed(ms, 'timers', () =>
    insertSeries(
      handle,
      size.timers,
      'timers',
      ['user_id', 'state', 'run_started_at', 'accumulated_ms', 'label', 'version', 'updated_at'],
      [
        `${firstUserId} + i - 1`,
        `case when i <= ${size.runningTimers} then 'running' else 'idle' end`,
        `case when i <= ${size.runningTimers} then ${now} - ${h(0)} % ${HOUR} else null end`,
        '0',
        `'Focus'`,
        '1',
        `${now}`,
      ],
    ),
  );

  await timed(ms, 'analyze', async () => {
    if (handle.dialect === 'postgres') {
      // What autovacuum does soon after a bulk load anyway: statistics and the visibility map.
      // One table at a time: each statement stays under the app's query timeout.
      for (const table of ['users', 'messages', 'focus_sessions', 'timers', 'chat_sequence']) {
        await sql.raw(`vacuum analyze ${table}`).execute(db);
      }
    } else {
      // No ANALYZE: the app never runs it, so a real SQLite database has no statistics either.
      await sql`pragma wal_checkpoint(truncate)`.execute(db);
    }
  });

  return { firstUserId, lastMessageId: await lastMessageId(db), milliseconds: ms };
}

/** The caller's own history: messages and finished runs over the last `days` days. */
export async function seedOwnActivity(
  handle: DatabaseHandle,
  userId: number,
  counts: { messages: number; runs: number; days: number },
  now: number,
): Promise<void> {
  const from = now - counts.days * DAY;
  const span = counts.days * DAY - HOUR;
  const base = await lastMessageId(handle.db);
  await insertSeries(
    handle,
    counts.messages,
    'messages',
    ['id', 'user_id', 'content', 'created_at'],
    [`${base} + i`, `${userId}`, `'my message ' || i`, `${from} + (i - 1) * ${span} / ${counts.messages}`],
  );
  await sql`update chat_sequence set last_id = coalesce((select max(id) from messages), last_id) where name = 'messages'`.execute(
    handle.db,
  );
  const startedAt = `(${from} + (i - 1) * ${span - 2 * HOUR} / ${counts.runs})`;
  await insertSeries(
    handle,
    counts.runs,
    'focus_sessions',
    ['user_id', 'started_at', 'ended_at', 'duration_ms', 'label'],
    [`${userId}`, startedAt, `${startedAt} + ${25 * MINUTE}`, `${25 * MINUTE}`, `'Focus'`],
  );
}

export async function lastMessageId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('chat_sequence')
    .select('last_id')
    .where('name', '=', 'messages')
    .executeTakeFirstOrThrow();
  return Number(row.last_id);
}

/** Row counts of the seeded tables and the database's size on disk. */
export async function describeData(handle: DatabaseHandle, sqliteFile?: string) {
  const { db } = handle;
  const count = async (table: 'users' | 'messages' | 'focus_sessions' | 'timers') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const deleted = Number(
    (
      await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('deleted_at', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  let bytes = 0;
  if (handle.dialect === 'postgres') {
    const result = await sql<{ size: number }>`select pg_database_size(current_database()) as size`.execute(db);
    bytes = Number(result.rows[0]?.size ?? 0);
  } else if (sqliteFile !== undefined) {
    const { statSync } = await import('node:fs');
    bytes = statSync(sqliteFile).size;
  }
  return {
    users: await count('users'),
    messages: await count('messages'),
    deletedMessages: deleted,
    focusSessions: await count('focus_sessions'),
    timers: await count('timers'),
    databaseBytes: bytes,
  };
}
