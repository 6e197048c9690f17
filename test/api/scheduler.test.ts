import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalBus } from '../../src/server/bus/local-bus.js';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import { openDatabase } from '../../src/server/db/database.js';
import { setJob } from '../../src/server/scheduler/jobs.repository.js';
import { announceDue, createScheduler, JOB_BATCH, type Scheduler } from '../../src/server/scheduler/scheduler.js';
import { fakeClock } from '../helpers/clock.js';
import { openTestDatabase, testDialects } from '../helpers/database.js';

const silent = { error: () => undefined, warn: () => undefined } as unknown as Parameters<
  typeof createScheduler
>[0]['log'];

async function eventually(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within 15 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDialects())('the scheduler on %s', (dialect) => {
  let stored: Awaited<ReturnType<typeof openTestDatabase>>;
  let second: DatabaseHandle;
  beforeAll(async () => {
    stored = await openTestDatabase(dialect);
    second = await openDatabase(stored.url);
  });
  afterAll(async () => {
    await second.close();
    await stored.close();
  });

  it('does each due job once with two schedulers racing, in bounded batches, and retries a failure after its claim', async () => {
    const clock = fakeClock(1_000_000);
    const bus = createLocalBus();
    const count = 3 * JOB_BATCH + 7;
    for (let i = 1; i <= count; i++) await setJob(stored.db, 'test', i, clock.now() + 60_000 + i);
    const done = new Map<number, number>();
    let failOnce = true;
    const handler = async (id: number) => {
      if (id === 5 && failOnce) {
        failOnce = false;
        throw new Error('the first try of job 5 fails');
      }
      done.set(id, (done.get(id) ?? 0) + 1);
    };
    const schedulers: Scheduler[] = [stored, second].map(({ db }) => {
      const scheduler = createScheduler({ db, clock, bus, log: silent });
      scheduler.register('test', handler);
      scheduler.start();
      return scheduler;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(done.size).toBe(0);

      clock.advance(60_000 + count);
      await eventually('every job but the failed one', () => done.size === count - 1);
      expect([...done.values()].every((n) => n === 1)).toBe(true);
      expect(done.has(5)).toBe(false);

      // Its claim runs out after 60 s: then it is taken again.
      clock.advance(60_000);
      await eventually('the failed job, retried', () => done.has(5));
      expect(done.get(5)).toBe(1);

      // A job stored later, announced on the bus, wakes the sleeping schedulers at its time.
      await setJob(stored.db, 'test', 10_000, clock.now() + 5_000);
      announceDue(bus, clock.now() + 5_000);
      clock.advance(5_000);
      await eventually('the late job', () => done.has(10_000));
      // Each handled job's row is removed after its handler returned.
      let left = -1;
      const readLeft = async () => {
        const { rows } = await stored.db
          .selectFrom('scheduled_jobs')
          .select((eb) => eb.fn.countAll().as('rows'))
          .executeTakeFirstOrThrow();
        left = Number(rows);
      };
      for (let tries = 0; tries < 100 && left !== 0; tries++) {
        await readLeft();
        if (left !== 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(left).toBe(0);
      expect([...done.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await Promise.all(schedulers.map((s) => s.close()));
    }
  });
});
