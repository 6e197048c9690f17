import fc from 'fast-check';

/** A JSON schema as the OpenAPI document spells it (only what the generators read). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  required?: string[];
  pattern?: string;
}

/** Characters that break naive code: NUL, lone surrogates, bidi overrides, zero-width, markup. */
const NASTY = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u0301',
  '\r\n',
  '\t',
  '<script>alert(1)</script>',
  '"',
  "'",
  '%00',
  '../',
  '=cmd|',
  '👩‍💻',
  'ﷺ',
  'İ',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })), { maxLength: 8 })
      .map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY).map((piece) => `text ${piece} text`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a'.repeat(2_001), 'é'.repeat(70_000), 'user_1', 'Europe/Berlin') },
);

const boundaryIntegers = [0, -1, 1, 2 ** 31, 2 ** 31 - 1, 2 ** 53, Number.MAX_SAFE_INTEGER, -(2 ** 53), 1e21, 0.5];

function integerFor(schema: JsonSchema): fc.Arbitrary<number> {
  const edges = [schema.minimum, schema.maximum].flatMap((edge) =>
    edge === undefined ? [] : [edge - 1, edge, edge + 1],
  );
  return fc.oneof(fc.integer(), fc.constantFrom(...boundaryIntegers, ...edges), fc.double());
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'email')
    return fc.oneof(
      fc.emailAddress(),
      nastyString.map((s) => `${s}@example.com`),
      nastyString,
    );
  if (schema.format === 'date-time') {
    return fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      nastyString,
      fc.constant('2026-13-45T99:99:99Z'),
    );
  }
  if (schema.pattern === undefined) return nastyString;
  // Values the pattern allows reach the code behind validation; nasty ones test the pattern.
  const max = schema.maxLength ?? 100;
  const fitting = fc
    .stringMatching(new RegExp(schema.pattern))
    .filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= max);
  return fc.oneof(
    nastyString,
    fitting,
    nastyString.map((s) => `${s}x`.slice(0, max)),
  );
}

/** Any JSON value, of any type. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), nastyString);

/** Mostly values of the schema's type (valid or at its edges), sometimes of any other type. */
export function valueFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: typedValue(schema) }, { weight: 1, arbitrary: anyJson });
}

function typedValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  if (schema.anyOf !== undefined) return fc.oneof(...schema.anyOf.map(typedValue));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return integerFor(schema);
    case 'string':
      return stringFor(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'object':
      return objectFor(schema);
    case 'array':
    case undefined:
    default:
      return anyJson;
  }
}

/**
 * The schema's properties, each with a `valueFor` value: mostly with every required one (so the
 * checks behind validation are reached), sometimes any subset; now and then one unknown key.
 */
export function objectFor(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, property]) => [name, valueFor(property)]),
  );
  return fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.record(properties, { requiredKeys: schema.required ?? [] }) },
        { weight: 1, arbitrary: fc.record(properties, { requiredKeys: [] }) },
      ),
      fc.option(fc.tuple(nastyString, anyJson), { freq: 5 }),
    )
    .map(([record, extra]) => (extra === null ? record : { ...record, [extra[0]]: extra[1] }));
}
