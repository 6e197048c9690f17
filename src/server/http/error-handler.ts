import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../../protocol/errors.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { AppError } from './errors.js';
import { toValidationIssues } from './validation.js';
import { createMethodIndex } from './method-index.js';

/**
 * Errors the router finds before there is a route (Fastify's `frameworkErrors`): a URL that is
 * not valid percent-encoding (400) or a path parameter over its length (414), in the one format.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(414).send({ detail: 'The address is too long', code: 'uri_too_long' } satisfies ErrorBody);
    return;
  }
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
  void reply
    .code(status)
    .send({ detail: 'The address is not valid (bad percent-encoding)', code: 'bad_url' } satisfies ErrorBody);
}

/** Maps every error to `{detail, code}` once; 5xx details appear only with DEBUG. */
export function registerErrorHandling(app: FastifyInstance, debug: boolean): void {
  const methods = createMethodIndex(app);

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const body: ErrorBody = { detail: error.issues ? [...error.issues] : error.message, code: error.code };
      if (error.until !== undefined) body.until = new Date(error.until).toISOString();
      return reply.code(error.status).headers(error.headers).send(body);
    }
    if (error.validation) {
      const body: ErrorBody = {
        detail: toValidationIssues(error.validation as never, error.validationContext),
        code: 'validation_failed',
      };
      return reply.code(422).send(body);
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      const retryAfter = String(reply.getHeader('retry-after') ?? '60');
      return reply.code(429).send({ detail: `Too many requests: try again in ${retryAfter} s`, code: 'rate_limited' });
    }
    if (status === 413) {
      return reply.code(413).send({ detail: 'Request body is too large (64 KiB at most)', code: 'payload_too_large' });
    }
    if (status === 415) {
      return reply.code(415).send({ detail: 'Unsupported content type: send JSON', code: 'unsupported_media_type' });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      const body: ErrorBody = {
        detail: 'The database is unavailable: try again in a few seconds',
        code: 'service_unavailable',
      };
      return reply.code(503).header('Retry-After', '5').send(body);
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ detail: error.message, code: 'bad_request' });
    }
    request.log.error({ err: error }, 'unexpected error');
    const body: ErrorBody = {
      detail: debug ? `Internal server error: ${error.message}` : 'Internal server error',
      code: 'internal_error',
      request_id: request.id,
    };
    return reply.code(500).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.allowedFor(request.url);
    // A route of this method that found nothing (e.g. a missing file under /assets/) is a 404.
    if (allowed.length > 0 && !allowed.some((method) => method === request.method)) {
      return reply
        .code(405)
        .header('Allow', allowed.join(', '))
        .send({ detail: 'Method Not Allowed', code: 'method_not_allowed' } satisfies ErrorBody);
    }
    return reply.code(404).send({ detail: 'Not Found', code: 'not_found' } satisfies ErrorBody);
  });
}
