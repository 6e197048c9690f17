/**
 * MongoDB Extended JSON (what `mongoexport` writes), canonical and relaxed, decoded into plain
 * values: `$oid` → its hex string, `$date` → epoch milliseconds (`LegacyDate`), the number
 * wrappers → numbers. Any other `$` type is refused: the importer would not know its meaning.
 */

/** A `$date` value, kept apart from numbers so a mapper can tell a date from a count. */
export class LegacyDate {
  constructor(readonly epochMs: number) {}
}

export type Decoded = string | number | boolean | null | LegacyDate | Decoded[] | { [key: string]: Decoded };

export class ExtendedJsonError extends Error {}

const NUMBER_WRAPPERS = new Set(['$numberInt', '$numberLong', '$numberDouble']);

export function decodeExtendedJson(value: unknown): Decoded {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map(decodeExtendedJson);
  if (typeof value !== 'object') throw new ExtendedJsonError(`unexpected ${typeof value} value`);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const first = keys[0];
  if (first?.startsWith('$')) {
    if (keys.length !== 1) throw new ExtendedJsonError(`unknown field type {${keys.join(', ')}}`);
    return decodeWrapper(first, record[first]);
  }
  const out: Record<string, Decoded> = {};
  for (const key of keys) out[key] = decodeExtendedJson(record[key]);
  return out;
}

function decodeWrapper(type: string, inner: unknown): Decoded {
  if (type === '$oid') {
    if (typeof inner === 'string' && /^[0-9a-fA-F]{24}$/.test(inner)) return inner.toLowerCase();
    throw new ExtendedJsonError('$oid must be 24 hexadecimal digits');
  }
  if (type === '$date') return new LegacyDate(decodeDate(inner));
  if (NUMBER_WRAPPERS.has(type)) {
    const number = typeof inner === 'string' ? Number(inner) : NaN;
    if (!Number.isFinite(number)) throw new ExtendedJsonError(`${type} must hold a finite number`);
    return number;
  }
  throw new ExtendedJsonError(`unknown field type ${type}`);
}

/** Relaxed mode writes an ISO string (for years 1970–9999); canonical mode `{"$numberLong": "<ms>"}`. */
function decodeDate(inner: unknown): number {
  if (typeof inner === 'string') return parseLegacyTime(inner);
  if (typeof inner === 'object' && inner !== null && Object.keys(inner).join() === '$numberLong') {
    const ms = Number((inner as { $numberLong: unknown }).$numberLong);
    if (Number.isSafeInteger(ms)) return ms;
  }
  if (typeof inner === 'number' && Number.isSafeInteger(inner)) return inner;
  throw new ExtendedJsonError('$date must be an ISO string or {"$numberLong": "<milliseconds>"}');
}

const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO time as epoch ms. With an offset (`Z`, `+05:30`) it is that instant; a naive one
 * (no offset) is UTC, which is how the Python version read its own times back from MongoDB.
 */
export function parseLegacyTime(text: string): number {
  const match = ISO.exec(text.trim());
  if (match === null) throw new ExtendedJsonError(`"${text}" is not an ISO date and time`);
  const iso = text.trim().replace(' ', 'T');
  const ms = Date.parse(match[3] === undefined ? `${iso}Z` : iso);
  if (Number.isNaN(ms)) throw new ExtendedJsonError(`"${text}" is not a valid date and time`);
  return ms;
}
