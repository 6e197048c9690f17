import { Migrator, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message, MessageList } from '../../src/protocol/chat.js';
import type { Dashboard } from '../../src/protocol/dashboard.js';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import type { Database } from '../../src/server/db/schema.js';
import { readTotal } from '../../src/server/db/totals.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, testDialects } from '../helpers/database.js';
import { as } from '../helpers/client.js';
import { makeUser } from '../helpers/users.js';

type Db = Kysely<Database>;

let nextEmail = 0;
async function addUser(db: Db): Promise<number> {
  const now = Date.now();
  const row = await db
    .insertInto('users')
    .values({ email: `totals-${++nextEmail}@example.com`, password_hash: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Plain inserts, as an import or an operator would write them: no application code involved. */
async function addMessages(db: Db, userId: number, count: number, deleted = 0): Promise<void> {
  const { last_id } = await db.selectFrom('chat_sequence').select('last_id').executeTakeFirstOrThrow();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: Number(last_id) + i + 1,
    user_id: userId,
    content: `message ${i}`,
    reply_to_id: null,
    client_id: null,
    created_at: Date.now(),
    deleted_at: i < deleted ? Date.now() : null,
  }));
  await db.insertInto('messages').values(rows).execute();
  await db
    .updateTable('chat_sequence')
    .set({ last_id: Number(last_id) + count })
    .execute();
}

async function addRuns(db: Db, userId: number, durations: number[]): Promise<void> {
  const end = Date.now();
  await db
    .insertInto('focus_sessions')
    .values(
      durations.map((ms) => ({ user_id: userId, started_at: end - ms, ended_at: end, duration_ms: ms, label: '' })),
    )
    .execute();
}

/** What the totals row must equal: the counts the dashboard used to compute by scanning. */
async function counted(db: Db) {
  const messages = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  const runs = await db
    .selectFrom('focus_sessions')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('duration_ms').as('ms')])
    .executeTakeFirstOrThrow();
  return { messages: Number(messages.n), runs: Number(runs.n), runMs: Number(runs.ms ?? 0) };
}

async function totals(db: Db) {
  const messages = await readTotal(db, 'live_messages');
  const runs = await readTotal(db, 'focus_sessions');
  return { messages: messages.count, runs: runs.count, runMs: runs.totalMs };
}

describe.each(testDialects())('all-time totals on %s', (dialect) => {
  let database: DatabaseHandle;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(() => database.close());

  it('starts from the rows already there when the migration runs, and can be undone', async () => {
    const { db } = database;
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    const down = await migrator.migrateTo('0004-activity-indexes');
    expect(down.error).toBeUndefined();
    expect(down.results).toContainEqual(expect.objectContaining({ migrationName: '0005-totals', status: 'Success' }));

    const ada = await addUser(db);
    await addMessages(db, ada, 40, 7);
    await addRuns(db, ada, [60_000, 1_500_000, 3_000_000]);

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(await totals(db)).toEqual({ messages: 33, runs: 3, runMs: 4_560_000 });
  });

  it('stays equal to a full count through every kind of write, in bulk or one by one', async () => {
    const { db } = database;
    const ada = await addUser(db);
    const bob = await addUser(db);
    await addMessages(db, ada, 500, 20);
    await addMessages(db, bob, 3);
    await addRuns(db, ada, [1_000, 2_000, 3_000]);
    await addRuns(db, bob, [10_000]);
    expect(await totals(db)).toEqual({ messages: 483, runs: 4, runMs: 16_000 });

    // Soft delete, undelete, an edit of the content, a second delete of the same row.
    await db.updateTable('messages').set({ deleted_at: Date.now() }).where('user_id', '=', bob).execute();
    await db
      .updateTable('messages')
      .set({ deleted_at: null })
      .where('user_id', '=', ada)
      .where('id', '<=', 10)
      .execute();
    await db.updateTable('messages').set({ content: 'edited' }).where('user_id', '=', ada).execute();
    await db
      .updateTable('messages')
      .set({ deleted_at: Date.now() + 1 })
      .where('user_id', '=', bob)
      .execute();
    // A relabelled run, a longer one, a removed one.
    await db.updateTable('focus_sessions').set({ label: 'writing' }).execute();
    await db.updateTable('focus_sessions').set({ duration_ms: 5_000 }).where('duration_ms', '=', 3_000).execute();
    await db.deleteFrom('focus_sessions').where('duration_ms', '=', 1_000).execute();
    expect(await totals(db)).toEqual(await counted(db));
    expect(await totals(db)).toEqual({ messages: 490, runs: 3, runMs: 17_000 });

    // Removing a person removes their messages and runs by cascade: the totals follow.
    await db.deleteFrom('users').where('id', '=', ada).execute();
    expect(await totals(db)).toEqual(await counted(db));
    expect(await totals(db)).toEqual({ messages: 0, runs: 1, runMs: 10_000 });
  });
});

describe.each(testDialects())('totals through the API on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('counts 20 parallel sends once each, a deleted message no more, and finished runs', async () => {
    const ada = await makeUser(t);
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) => as(ada).post<Message>('/api/chat/messages', { content: `hi ${i}` })),
    );
    expect(sent.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const first = sent[0]!.json().id;
    // Deleting twice takes one message off the count, not two.
    for (let i = 0; i < 2; i++) {
      await as(ada).delete(`/api/chat/messages/${first}`);
    }
    for (const url of ['/api/timer/start', '/api/timer/pause', '/api/timer/start', '/api/timer/reset']) {
      expect((await as(ada).post(url)).statusCode).toBe(200);
    }

    const list = (await as(ada).get<MessageList>('/api/chat/messages')).json();
    expect(list.total_count).toBe(19);
    const dashboard = (await as(ada).get<Dashboard>('/api/dashboard')).json();
    expect(dashboard.global_metrics.total_messages_sent).toBe(19);
    expect(dashboard.activity_summary.total_sessions).toBe(2);
    expect(await totals(t.database.db)).toEqual(await counted(t.database.db));
  });
});
