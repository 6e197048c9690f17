import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

// Algorithm.Argon2id: a const enum, which verbatimModuleSyntax cannot inline.
const ARGON2ID = 2 as Algorithm;
// OWASP's first recommendation for argon2id: 19 MiB, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
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
    return { valid: await verify(stored, password).catch(() => false), needsRehash: false };
  }
  return { valid: false, needsRehash: false };
}

let dummyHash: Promise<string> | undefined;

/** Spends the time of a real check, so an unknown email answers as slowly as a wrong password. */
export async function checkAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('codechicks-dummy-password');
  await verify(await dummyHash, password).catch(() => false);
}

/** passlib's `$pbkdf2-sha256$<rounds>$<salt>$<checksum>`, salt and checksum in its "ab64" base64. */
async function verifyPasslibPbkdf2(password: string, stored: string): Promise<boolean> {
  const [, , roundsText, salt64, checksum64] = stored.split('$');
  const rounds = Number(roundsText);
  if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > 10_000_000 || !salt64 || !checksum64) return false;
  const salt = fromAb64(salt64);
  const expected = fromAb64(checksum64);
  if (expected.length === 0) return false;
  const actual = await pbkdf2Async(password, salt, rounds, expected.length, 'sha256');
  return timingSafeEqual(actual, expected);
}

function fromAb64(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+'), 'base64');
}
