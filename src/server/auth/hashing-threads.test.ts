import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHashingThreads, HASH_THREAD_NICE_STEPS } from './hashing-threads.js';

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('password hashing threads', () => {
  it('hashes and verifies on a thread of its own, at a lower priority than the event loop', async () => {
    const eventLoop = threadNiceValues()[0] ?? 0;
    const lowered = Math.min(19, eventLoop + HASH_THREAD_NICE_STEPS);
    const before = threadNiceValues().filter((nice) => nice === lowered).length;
    const threads = createHashingThreads();
    const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
    const stored = (await threads.run({ op: 'argon2-hash', password: 'right one', options })) as string;
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await threads.run({ op: 'argon2-verify', stored, password: 'right one' })).toBe(true);
    expect(await threads.run({ op: 'argon2-verify', stored, password: 'wrong one' })).toBe(false);
    await expect(threads.run({ op: 'argon2-verify', stored: 'not a hash', password: 'x' })).rejects.toThrow();
    // One thread did all four (each started when the one before had ended), niced; the event loop was not.
    expect(threadNiceValues().filter((nice) => nice === lowered).length).toBe(before + 1);
    expect(threadNiceValues()[0]).toBe(eventLoop);
  });
});
