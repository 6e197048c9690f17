import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Password hashing on threads of its own, each at a lower scheduling priority than the event
 * loop (10 `nice` steps above it on Linux, where the nice value is per thread): when a hash and the event loop
 * both want a core, the event loop gets it, so a login flood slows logins rather than every
 * other route; when the event loop sleeps, the hash takes the whole core. libuv's 4 threads stay
 * for file reads. The caller bounds the tasks in flight to the number of threads (`passwords.ts`).
 */

export type HashJob =
  | { op: 'argon2-hash'; password: string; options: object }
  | { op: 'argon2-verify'; stored: string; password: string }
  | { op: 'pbkdf2'; password: string; salt: Buffer; rounds: number; length: number };

export const HASH_THREAD_NICE_STEPS = 10;

const require = createRequire(import.meta.url);
// Plain CommonJS evaluated in the worker: no loader (tsx, Vitest) is needed there, in development,
// tests and the build alike.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { pbkdf2Sync } = require('node:crypto');
const { getPriority, setPriority } = require('node:os');
const argon2 = require(${JSON.stringify(require.resolve('@node-rs/argon2'))});
try { setPriority(Math.min(19, getPriority() + ${HASH_THREAD_NICE_STEPS})); } catch {}
parentPort.on('message', (job) => {
  try {
    let result;
    if (job.op === 'argon2-hash') result = argon2.hashSync(job.password, job.options);
    else if (job.op === 'argon2-verify') result = argon2.verifySync(job.stored, job.password);
    else result = pbkdf2Sync(job.password, job.salt, job.rounds, job.length, 'sha256');
    parentPort.postMessage({ ok: true, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
  }
});
`;

interface Thread {
  worker: Worker;
  settle?: { resolve(value: unknown): void; reject(error: Error): void };
}

export interface HashingThreads {
  /** Runs one job on an idle thread (one is started when none is idle); the caller bounds how many at once. */
  run(job: HashJob): Promise<unknown>;
}

export function createHashingThreads(): HashingThreads {
  const idle: Thread[] = [];

  function start(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_SOURCE, { eval: true }) };
    // Hashing threads never keep a finished process alive.
    thread.worker.unref();
    thread.worker.on('message', (answer: { ok: true; result: unknown } | { ok: false; message: string }) => {
      const settle = thread.settle;
      thread.settle = undefined;
      idle.push(thread);
      if (answer.ok) settle?.resolve(answer.result);
      else settle?.reject(new Error(answer.message));
    });
    const lost = (error: Error) => {
      const index = idle.indexOf(thread);
      if (index >= 0) idle.splice(index, 1);
      thread.settle?.reject(error);
      thread.settle = undefined;
    };
    thread.worker.on('error', lost);
    thread.worker.on('exit', (code) => lost(new Error(`the hashing thread exited (code ${code})`)));
    return thread;
  }

  return {
    run(job) {
      const thread = idle.pop() ?? start();
      return new Promise((resolve, reject) => {
        thread.settle = { resolve, reject };
        thread.worker.postMessage(job);
      });
    },
  };
}
