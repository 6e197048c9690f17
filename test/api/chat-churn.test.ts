import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { followChat, type ChatFollower } from '../helpers/chat-follower.js';
import { testDialects } from '../helpers/database.js';
import { sleep } from '../helpers/http.js';
import { registerUser, type TestUser } from '../helpers/users.js';

const CLIENTS = 100;
/** Each person keeps several tabs open, as people do (and under any per-person socket cap). */
const TABS_PER_PERSON = 4;
const CHURNED_PER_ROUND = 10;
const ROUND_MS = 2_000;
const MESSAGES_PER_SECOND = 30;
const SECONDS = 30;
const SENDERS = 10;

describe.each(testDialects())('chat order under churn on %s', (dialect) => {
  let test: TestApp;
  let followers: ChatFollower[] = [];

  afterAll(async () => {
    await Promise.all(followers.map((f) => f.close()));
    await test?.close();
  });

  it(
    `${CLIENTS} clients, ${CHURNED_PER_ROUND} killed and reconnected every 2 s while ${MESSAGES_PER_SECOND} messages/s are sent for ${SECONDS} s, each end with the database's history`,
    { timeout: 180_000 },
    async () => {
      test = await createTestApp(dialect);
      const base = await test.listen();
      // One after another: the server hashes a bounded number of passwords at once (503 `busy` beyond).
      const people: TestUser[] = [];
      for (let i = 0; i < CLIENTS / TABS_PER_PERSON + SENDERS; i++) people.push(await registerUser(test.app));
      const readers = people.slice(SENDERS);
      followers = Array.from({ length: CLIENTS }, (_, i) =>
        followChat(base, (readers[i % readers.length] as TestUser).token),
      );
      await Promise.all(followers.map((f) => f.connect()));

      const total = MESSAGES_PER_SECOND * SECONDS;
      const sends: Promise<number>[] = [];
      const started = Date.now();
      let stop = false;
      const churning = (async () => {
        for (let round = 0; !stop; round++) {
          await sleep(ROUND_MS);
          if (stop) break;
          const victims = Array.from(
            { length: CHURNED_PER_ROUND },
            (_, k) => (round * CHURNED_PER_ROUND + k) % CLIENTS,
          );
          await Promise.all(victims.map((i) => (followers[i] as ChatFollower).churn()));
        }
      })();
      for (let i = 0; i < total; i++) {
        // Paced by the wall clock, not by the answers: sends overlap as they do between people.
        const due = started + (i * 1_000) / MESSAGES_PER_SECOND;
        if (due > Date.now()) await sleep(due - Date.now());
        const sender = people[i % SENDERS] as TestUser;
        sends.push(
          test.app
            .inject({
              method: 'POST',
              url: '/api/chat/messages',
              headers: sender.auth,
              payload: { content: `churn ${i}`, client_id: `churn-${i}` },
            })
            .then((r) => r.statusCode),
        );
      }
      const statuses = await Promise.all(sends);
      stop = true;
      await churning;
      expect(statuses.filter((s) => s !== 201)).toEqual([]);

      const rows = await test.database.db.selectFrom('messages').select(['id', 'content']).orderBy('id').execute();
      expect(rows).toHaveLength(total);
      // Ids have no gaps: a catch-up cannot tell a skipped id from a missing one.
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: total }, (_, i) => (rows[0]?.id ?? 0) + i));
      const history = rows.map((r) => [r.id, r.content]);
      for (const [index, follower] of followers.entries()) {
        await expect
          .poll(() => follower.caughtUp, { timeout: 30_000, message: `client ${index} caught up` })
          .toBe(true);
        await expect
          .poll(() => [...follower.held].sort(([a], [b]) => a - b), { message: `client ${index}` })
          .toEqual(history);
      }
    },
  );
});
