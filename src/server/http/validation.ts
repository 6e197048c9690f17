import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { ValidationIssue } from '../../protocol/errors.js';

const shared: Options = {
  allErrors: true,
  // Drop keys the schema does not name (like FastAPI ignoring extra fields), never reject them.
  removeAdditional: true,
  useDefaults: true,
  // Keeps parentSchema on each error, so a schema's `errorMessage` can explain a pattern.
  verbose: true,
  strict: false,
};

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ ...shared, ...options });
  addFormats.default(ajv, ['email', 'uri', 'date-time', 'date']);
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  return ajv;
}

// JSON bodies keep their types (null stays null, "25" is not an age); query strings and paths
// are text, so they are coerced.
const bodyAjv = createAjv({ coerceTypes: false });
const textAjv = createAjv({ coerceTypes: 'array' });

type Check<T> = ((data: unknown) => data is T) & { errors?: ErrorObject[] | null };

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  if (httpPart !== 'body') return textOnly(textAjv.compile(schema as object));
  // A POST without a body is checked as `{}`: missing fields then read "Field required", and
  // routes whose fields are all optional (e.g. /api/timer/start) work without one.
  const validate = textOnly(bodyAjv.compile(schema as object));
  const check = (data: unknown) => {
    const value = data ?? {};
    if (validate(value)) return { value };
    check.errors = validate.errors;
    return false;
  };
  check.errors = null as ErrorObject[] | null | undefined;
  return check;
};

/** A validator for JSON arriving another way than an HTTP body (e.g. WebSocket frames). */
export function compileJsonValidator<T>(schema: object): Check<T> {
  return textOnly(bodyAjv.compile<T>(schema));
}

/**
 * The schema's check, plus: every string is text. PostgreSQL cannot store U+0000 (the insert
 * failed as a 500), and a lone surrogate half is stored as one U+FFFD there but three on SQLite;
 * nobody types either, so both are refused here and the dialects stay the same.
 */
function textOnly<T>(validate: Check<T>): Check<T> {
  const check = ((data: unknown): data is T => {
    const found = validate(data) ? badTextPath(data, '') : undefined;
    check.errors =
      found === undefined
        ? validate.errors
        : [
            {
              instancePath: found,
              keyword: 'nul',
              params: {},
              schemaPath: '#',
              message: NOT_TEXT,
            },
          ];
    return check.errors === null || check.errors === undefined;
  }) as Check<T>;
  check.errors = null;
  return check;
}

const NOT_TEXT = 'Must be text: no NUL character (U+0000) and no lone surrogate';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isNotText = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/** The JSON pointer of the first string (or key) that is not text, if any. */
function badTextPath(value: unknown, pointer: string): string | undefined {
  if (typeof value === 'string') return isNotText(value) ? pointer : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (isNotText(key)) return at;
    const found = badTextPath(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** Turns Ajv errors into FastAPI-style `{loc, msg, type}` items a page can show as they are. */
export function toValidationIssues(errors: readonly ErrorObject[], part: string | undefined): ValidationIssue[] {
  return errors.map((error) => {
    const loc: (string | number)[] = [PART_NAMES[part ?? 'body'] ?? 'body'];
    for (const segment of error.instancePath.split('/').slice(1)) {
      loc.push(/^\d+$/.test(segment) ? Number(segment) : segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    }
    if (error.keyword === 'required') loc.push(String(error.params.missingProperty));
    return { loc, msg: messageFor(error), type: error.keyword };
  });
}

function messageFor(error: ErrorObject): string {
  const custom = (error.parentSchema as { errorMessage?: unknown } | undefined)?.errorMessage;
  if (typeof custom === 'string' && error.keyword !== 'required') return custom;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'Field required';
    case 'minLength':
      return `Must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `Must be at most ${String(p.limit)} characters`;
    case 'minimum':
      return `Must be ${String(p.limit)} or more`;
    case 'maximum':
      return `Must be ${String(p.limit)} or less`;
    case 'type':
      return `Must be ${article(String(p.type))}`;
    case 'format':
      return p.format === 'email' ? 'Must be a valid email address' : `Must be a valid ${String(p.format)}`;
    case 'enum':
      return `Must be one of: ${(p.allowedValues as unknown[]).join(', ')}`;
    default:
      return error.message ? capitalize(error.message) : 'Invalid value';
  }
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function article(type: string): string {
  return type
    .split(',')
    .map((t) => TYPE_NAMES[t] ?? t)
    .join(' or ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
