import { pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * Writes documents exactly as `mongoexport` does: compact Extended JSON v2 in relaxed or
 * canonical mode, one document a line, or with `--jsonArray` one array on one line.
 */

export class ObjectId {
  constructor(readonly hex: string) {}
}

/** Distinct, valid ObjectIds: a fixed prefix and a counter. */
export function objectId(n: number): ObjectId {
  return new ObjectId(`65b6a1f0c2d3e4f5${n.toString(16).padStart(8, '0')}`);
}

export type Value = string | number | boolean | null | Date | ObjectId | Value[] | { [key: string]: Value };
export type Mode = 'relaxed' | 'canonical';

export function toExtendedJson(value: Value, mode: Mode): unknown {
  if (value instanceof ObjectId) return { $oid: value.hex };
  if (value instanceof Date) {
    return mode === 'relaxed' ? { $date: value.toISOString() } : { $date: { $numberLong: String(value.getTime()) } };
  }
  if (typeof value === 'number') {
    if (mode === 'relaxed') return value;
    if (!Number.isInteger(value)) return { $numberDouble: String(value) };
    return Math.abs(value) < 2 ** 31 ? { $numberInt: String(value) } : { $numberLong: String(value) };
  }
  if (Array.isArray(value)) return value.map((v) => toExtendedJson(v, mode));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toExtendedJson(v, mode)]));
  }
  return value;
}

export function exportDocument(doc: Value, mode: Mode): string {
  return JSON.stringify(toExtendedJson(doc, mode));
}

/** The whole file as mongoexport writes it (JSON lines end with a newline; the array is one line). */
export function exportFile(docs: readonly Value[], mode: Mode, jsonArray: boolean): string {
  const lines = docs.map((doc) => exportDocument(doc, mode));
  return jsonArray ? `[${lines.join(',')}]` : lines.map((l) => `${l}\n`).join('');
}

/** A hash as passlib 1.7's `pbkdf2_sha256` makes it: 29000 rounds, 16-byte salt, "ab64" text. */
export function passlibHash(password: string, salt = randomBytes(16), rounds = 29_000): string {
  const checksum = pbkdf2Sync(password, salt, rounds, 32, 'sha256');
  return `$pbkdf2-sha256$${rounds}$${ab64(salt)}$${ab64(checksum)}`;
}

function ab64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
}
