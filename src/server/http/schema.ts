import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBodySchema, type ErrorCode } from '../../protocol/errors.js';
import { ERROR_STATUS } from './errors.js';

type ErrorResponseSchema = typeof ErrorBodySchema;

/** The error body with `code` one of these (an `enum` in the OpenAPI document). */
function errorSchemaOf(codes: readonly ErrorCode[]): ErrorResponseSchema {
  return Type.Object(
    { ...ErrorBodySchema.properties, code: Type.Unsafe<ErrorCode>(Type.String({ enum: [...codes] })) },
    { description: `Error codes: ${codes.join(', ')}` },
  );
}

/**
 * Response schemas for the errors a route's own code can give, by code: each status gets the
 * codes of `ERROR_STATUS` that answer with it. What every route of a kind can answer (401 for a
 * session, 422 for input, …) is added by `documentCommonErrors`.
 */
export function errorResponses(...codes: ErrorCode[]): Record<number, ErrorResponseSchema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, listed]) => [status, errorSchemaOf(listed.sort())]));
}

/** The codes an error response schema of `errorResponses` lists, or undefined for another schema. */
function listedCodes(schema: unknown): ErrorCode[] | undefined {
  const codeSchema = (schema as { properties?: { code?: { enum?: unknown } } } | undefined)?.properties?.code;
  return Array.isArray(codeSchema?.enum) ? (codeSchema.enum as ErrorCode[]) : undefined;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Adds to every documented route the errors that come from the layers before its handler: the
 * session (401), the cross-site check of unsafe methods (403), body parsing and validation
 * (400, 413, 415, 422), a rate limit in its config (429), a database outage (503) and a bug (500).
 * Registered before the routes and the OpenAPI plugin, so both see the whole list.
 */
export function documentCommonErrors(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (schema?.response === undefined || schema.hide === true) return;
    const common: ErrorCode[] = ['internal_error', 'service_unavailable'];
    if (schema.security !== undefined) common.push('not_authenticated', 'invalid_credentials');
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((method) => UNSAFE_METHODS.has(method))) common.push('cross_site_request');
    if (schema.body !== undefined) {
      common.push('bad_request', 'payload_too_large', 'unsupported_media_type', 'validation_failed');
    }
    if (schema.params !== undefined || schema.querystring !== undefined) common.push('validation_failed');
    if ((route.config as { rateLimit?: unknown } | undefined)?.rateLimit !== undefined) common.push('rate_limited');
    const others: Record<string, unknown> = {};
    const own: ErrorCode[] = [];
    for (const [status, response] of Object.entries(schema.response as Record<string, unknown>)) {
      const codes = listedCodes(response);
      if (codes === undefined) others[status] = response;
      else own.push(...codes);
    }
    // A status the route answers with its own body (e.g. /readyz's 503) keeps it.
    const added = common.filter((code) => !(String(ERROR_STATUS[code]) in others));
    schema.response = { ...errorResponses(...own, ...added), ...others };
  });
}

/** Routes that need a session: a Bearer token, or the token Swagger UI's "Authorize" gets from /auth/login. */
export const SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { password: [] }];
