/** Thrown by `run` when the waiting line is full: the caller answers "busy" instead of queueing more. */
export class QueueFull extends Error {
  constructor() {
    super('work queue full');
    this.name = 'QueueFull';
  }
}

export interface WorkQueue {
  /** Runs `task` when one of the slots is free; throws `QueueFull` at once when too many already wait. */
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

/**
 * At most `concurrency` tasks at once, at most `maxWaiting` in line behind them, first come first
 * served. Bounds CPU-heavy work (password hashing) that would otherwise take every thread.
 */
export function createWorkQueue(concurrency: number, maxWaiting: number): WorkQueue {
  let running = 0;
  const line: (() => void)[] = [];

  function release(): void {
    const next = line.shift();
    if (next === undefined) running -= 1;
    else next();
  }

  return {
    async run(task) {
      if (running >= concurrency) {
        if (line.length >= maxWaiting) throw new QueueFull();
        // The slot passes straight from the task that ends to the one that waited longest.
        await new Promise<void>((resolve) => line.push(resolve));
      } else {
        running += 1;
      }
      try {
        return await task();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
  };
}
