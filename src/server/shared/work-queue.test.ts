import { describe, expect, it } from 'vitest';
import { createWorkQueue, QueueFull } from './work-queue.js';

describe('createWorkQueue', () => {
  it('runs at most `concurrency` tasks, queues a bounded line in order, and refuses beyond it', async () => {
    const queue = createWorkQueue(2, 3);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n);
        releases.push(() => resolve(n));
      });
    const results = [1, 2, 3, 4, 5].map((n) => queue.run(task(n)));
    await expect(queue.run(task(6))).rejects.toBeInstanceOf(QueueFull);
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    expect({ running: queue.running, waiting: queue.waiting }).toEqual({ running: 2, waiting: 3 });
    while (started.length < 5 || releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect({ running: queue.running, waiting: queue.waiting }).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot of a task that fails', async () => {
    const queue = createWorkQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});
