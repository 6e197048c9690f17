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
