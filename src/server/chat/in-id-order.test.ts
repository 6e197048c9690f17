import { describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { inIdOrder } from './in-id-order.js';

describe('inIdOrder', () => {
  const db = {} as Db; // only its identity is used, as the key of its queue

  it('runs the stores of one database one at a time, in the order they came, past a failed one', async () => {
    const steps: string[] = [];
    const store = (name: string, ms: number, fail = false) =>
      inIdOrder(db, async () => {
        steps.push(`${name} starts`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        steps.push(`${name} ends`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const results = await Promise.allSettled([store('a', 30), store('b', 1, true), store('c', 1)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([
      'a',
      'Error: b failed',
      'c',
    ]);
    expect(steps).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it('does not make another database wait', async () => {
    const other = {} as Db;
    let slowDone = false;
    const slow = inIdOrder(
      db,
      () => new Promise<void>((resolve) => setTimeout(() => resolve(void (slowDone = true)), 50)),
    );
    await inIdOrder(other, async () => undefined);
    expect(slowDone).toBe(false);
    await slow;
  });
});
