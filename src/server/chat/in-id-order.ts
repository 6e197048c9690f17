import type { Db } from '../db/database.js';

const queues = new WeakMap<Db, Promise<unknown>>();

/**
 * Runs `store` (a message's insert and its broadcast) once the ones this process started before
 * on the same database are done, one at a time, so `message.created` leaves in id order.
 *
 * Ids are taken under a row lock and so follow the commits, but on PostgreSQL the answers to two
 * commits can reach this process the other way round (the first's backend released the lock,
 * then waited for a core), and a broadcast after each answer would go out of order. The row lock
 * already makes these stores wait for each other, so waiting here costs next to nothing.
 */
export function inIdOrder<T>(db: Db, store: () => Promise<T>): Promise<T> {
  const before = queues.get(db) ?? Promise.resolve();
  const run = before.then(store);
  queues.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}
