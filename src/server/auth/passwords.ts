import type { Algorithm } from '@node-rs/argon2';
import { timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { AppError, httpError } from '../http/errors.js';
import { createWorkQueue, QueueFull } from '../shared/work-queue.js';
import { createHashingThreads, type HashJob } from './hashing-threads.js';

// Algorithm.Argon2id: a const enum, which verbatimModuleSyntax cannot inline.
const ARGON2ID = 2 as Algorithm;
// OWASP's first recommendation for argon2id: 19 MiB, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Hashes and checks run on threads of their own at a lower priority than the event loop
 * (`hashing-threads.ts`), at most one per core but one at a time, so a core stays for everything
 * else. A bounded line waits behind them; beyond it, 503 `busy` at once rather than a queue that
 * grows with the flood (docs/security.md, "Password hashing").
 */
export const HASH_CONCURRENCY = Math.max(1, availableParallelism() - 1);
export const HASH_MAX_WAITING = 16 * availableParallelism();
const hashing = createWorkQueue(HASH_CONCURRENCY, HASH_MAX_WAITING);
const threads = createHashingThreads();

async function inHashingQueue<T>(job: HashJob): Promise<T> {
  try {
    return (await hashing.run(() => threads.run(job))) as T;
  } catch (error) {
    if (error instanceof QueueFull) {
      throw httpError('busy', 'The server is busy checking passwords: try again in a second', {
        headers: { 'Retry-After': '1' },
      });
    }
    throw error;
  }
}

export function hashPassword(password: string): Promise<string> {
  return inHashingQueue<string>({ op: 'argon2-hash', password, options: ARGON2_OPTIONS });
}

export interface PasswordCheck {
  valid: boolean;
  /** True for a correct password stored in the Python version's format: store an argon2id hash now. */
  needsRehash: boolean;
}

export async function checkPassword(password: string, stored: string): Promise<PasswordCheck> {
  if (stored.startsWith('$pbkdf2-sha256$')) {
    const valid = await verifyPasslibPbkdf2(password, stored);
    return { valid, needsRehash: valid };
  }
  if (stored.startsWith('$argon2')) {
    const valid = await verifyArgon2(stored, password);
    return { valid, needsRehash: false };
  }
  return { valid: false, needsRehash: false };
}

/** False for a wrong password and for a stored value that is not a valid argon2 hash; busy stays busy. */
async function verifyArgon2(stored: string, password: string): Promise<boolean> {
  try {
    return await inHashingQueue<boolean>({ op: 'argon2-verify', stored, password });
  } catch (error) {
    if (error instanceof AppError) throw error;
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the time of a real check, so an unknown email answers as slowly as a wrong password. */
export async function checkAgainstDummy(password: string): Promise<void> {
  // Made in the queue like any hash: when that is busy, the next call tries again.
  dummyHash ??= hashPassword('codechicks-dummy-password').catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  await verifyArgon2(await dummyHash, password);
}

/** passlib's `$pbkdf2-sha256$<rounds>$<salt>$<checksum>`, salt and checksum in its "ab64" base64. */
async function verifyPasslibPbkdf2(password: string, stored: string): Promise<boolean> {
  const [, , roundsText, salt64, checksum64] = stored.split('$');
  const rounds = Number(roundsText);
  if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > 10_000_000 || !salt64 || !checksum64) return false;
  const salt = fromAb64(salt64);
  const expected = fromAb64(checksum64);
  if (expected.length === 0) return false;
  const derived = await inHashingQueue<Uint8Array>({ op: 'pbkdf2', password, salt, rounds, length: expected.length });
  return timingSafeEqual(derived, expected);
}

function fromAb64(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+'), 'base64');
}
