import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageList } from '../../src/protocol/chat.js';
import { insertMessage } from '../../src/server/chat/chat.repository.js';
import type { Database } from '../../src/server/db/schema.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { sleep } from '../helpers/http.js';
import { as } from '../helpers/client.js';
import { makeUser, type TestUser } from '../helpers/users.js';

/**
 * A second writer on its own pool whose COMMIT waits until the test opens the gate: its
 * transaction has taken an id and inserted the row, and holds both, as a slow writer would.
 */
function heldWriter(url: string) {
  let gate: Promise<void> = Promise.resolve();
  let open = () => undefined as void;
  let reachedCommit = () => undefined as void;
  let atCommit: Promise<void> = Promise.resolve();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const connect = pool.connect.bind(pool);
  const gatedConnect = async () => {
    const client = await connect();
    const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
    Object.assign(client, {
      query: async (text: string, values?: unknown[]) => {
        if (typeof text === 'string' && text === 'commit') {
          reachedCommit();
          await gate;
        }
        return query(text, values);
      },
    });
    return client;
  };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: Object.assign(pool, { connect: gatedConnect }) }),
  });
  return {
    db,
    /** The next transaction stops at its COMMIT until `release()`; resolves once it is there. */
    hold(): Promise<void> {
      gate = new Promise((resolve) => (open = resolve));
      atCommit = new Promise((resolve) => (reachedCommit = resolve));
      return atCommit;
    },
    release: () => open(),
    close: () => db.destroy(),
  };
}

describe.skipIf(!testDialects().includes('postgres'))('commit-ordered message ids on PostgreSQL', () => {
  let test: TestApp;
  let writer: ReturnType<typeof heldWriter>;
  let user: TestUser;
  let observer: pg.Client;

  beforeAll(async () => {
    test = await createTestApp('postgres');
    writer = heldWriter(test.database.url);
    observer = new pg.Client({ connectionString: test.database.url });
    await observer.connect();
  });
  // Each test writes as a person of its own.
  beforeEach(async () => {
    user = await makeUser(test);
  });
  afterAll(async () => {
    await observer?.end();
    await writer?.close();
    await test?.close();
  });

  const post = (content: string) => as(user).post('/api/chat/messages', { content });
  const after = async (id: number) =>
    (await as(user).get<MessageList>(`/api/chat/messages?after=${id}&limit=100`)).json().messages.map((m) => m.id);
  const lockWaits = async () =>
    Number(
      (
        await observer.query<{ n: string }>(
          "select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
        )
      ).rows[0]?.n,
    );
  const newMessage = (content: string) => ({
    user_id: user.id,
    content,
    reply_to_id: null,
    client_id: null,
    created_at: Date.now(),
  });

  it('makes a writer that commits meanwhile wait, so no reader sees a higher id before the held one', async () => {
    const first = (await post('before')).json<{ id: number }>().id;
    const atCommit = writer.hold();
    const held = insertMessage(writer.db, newMessage('held'));
    await atCommit;
    let otherAnswered = false;
    const other = post('other').finally(() => (otherAnswered = true));
    try {
      // The app's writer either waits for a lock the held transaction has (commit-ordered ids) or
      // commits meanwhile; then a reader must still not see its id before the held one.
      await expect.poll(async () => otherAnswered || (await lockWaits()) > 0).toBe(true);
      expect(await after(first)).toEqual([]);
    } finally {
      writer.release();
    }
    const heldId = await held;
    const otherAnswer = await other;
    expect(otherAnswer.statusCode).toBe(201);
    const otherId = otherAnswer.json<{ id: number }>().id;
    expect([heldId, otherId]).toEqual([first + 1, first + 2]);
    expect(await after(first)).toEqual([heldId, otherId]);
  });

  it('never lets an after= catch-up skip an id while held and prompt writers race', { timeout: 60_000 }, async () => {
    const start = (await post('start')).json<{ id: number }>().id;
    let done = false;
    const slow = (async () => {
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) {
        const atCommit = writer.hold();
        const insert = insertMessage(writer.db, newMessage(`slow ${i}`));
        await atCommit;
        await sleep((i * 7) % 40);
        writer.release();
        ids.push(await insert);
      }
      return ids;
    })();
    const prompt = (async () => {
      const ids: number[] = [];
      for (let i = 0; i < 60; i++) {
        const answer = await post(`prompt ${i}`);
        expect(answer.statusCode).toBe(201);
        ids.push(answer.json<{ id: number }>().id);
      }
      return ids;
    })();
    const seen: number[] = [];
    const reading = (async () => {
      let cursor = start;
      while (!done) {
        const page = await after(cursor);
        // Whatever a catch-up returns follows on from the cursor with no hole.
        expect(page).toEqual(page.map((_, k) => cursor + 1 + k));
        seen.push(...page);
        cursor = page.at(-1) ?? cursor;
        await sleep(2);
      }
      seen.push(...(await after(cursor)));
    })();
    const written = [...(await slow), ...(await prompt)].sort((a, b) => a - b);
    done = true;
    await reading;
    expect(seen).toEqual(written);
  });
});
