import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * A primitive schema that also accepts null, as one `type: [t, "null"]`, so a bad value gets
 * one clear message instead of an `anyOf` of two.
 */
export function Nullable<T extends TSchema & { type: string }>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

/** ISO 8601 UTC with `Z`. */
export const Timestamp = Type.String({ format: 'date-time', examples: ['2026-11-28T09:30:00.000Z'] });

/**
 * A row id in a path, query or body: PostgreSQL's ids are bigint and are read as JS numbers, so
 * a larger value is refused here (422) instead of failing in the database.
 */
export const RowId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
/** A cursor: a row id, or 0 for "from the start". */
export const RowCursor = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
