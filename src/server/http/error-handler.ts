import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody, ErrorCode } from '../../protocol/errors.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { AppError, ERROR_STATUS } from './errors.js';
import { toValidationIssues } from './validation.js';
import { createMethodIndex } from './method-index.js';

/** Answers `{detail, code}` with the code's status. */
function sendError(reply: FastifyReply, code: ErrorCode, detail: ErrorBody['detail'], extra: Partial<ErrorBody> = {}) {
  return reply.code(ERROR_STATUS[code]).send({ detail, code, ...extra } satisfies ErrorBody);
}

/**
 * Errors the router finds before there is a route (Fastify's `frameworkErrors`): a URL that is
 * not valid percent-encoding (400) or a path parameter over its length (414), in the one format.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void sendError(reply, 'uri_too_long', 'The address is too long');
    return;
  }
  void sendError(reply, 'bad_url', 'The address is not valid (bad percent-encoding)');
}

/** Maps every error to `{detail, code}` once; 5xx details appear only with DEBUG. */
export function registerErrorHandling(app: FastifyInstance, debug: boolean): void {
  const methods = createMethodIndex(app);

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const until = error.until === undefined ? {} : { until: new Date(error.until).toISOString() };
      return sendError(
        reply.headers(error.headers),
        error.code,
        error.issues ? [...error.issues] : error.message,
        until,
      );
    }
    if (error.validation) {
      return sendError(
        reply,
        'validation_failed',
        toValidationIssues(error.validation as never, error.validationContext),
      );
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      const retryAfter = String(reply.getHeader('retry-after') ?? '60');
      return sendError(reply, 'rate_limited', `Too many requests: try again in ${retryAfter} s`);
    }
    if (status === 413) return sendError(reply, 'payload_too_large', 'Request body is too large (64 KiB at most)');
    if (status === 415) return sendError(reply, 'unsupported_media_type', 'Unsupported content type: send JSON');
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('Retry-After', '5');
      return sendError(reply, 'service_unavailable', 'The database is unavailable: try again in a few seconds');
    }
    if (status >= 400 && status < 500) {
      // Another 4xx of Fastify or a plugin (a body that is not JSON is 400): its status is kept.
      return reply.code(status).send({ detail: error.message, code: 'bad_request' } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'unexpected error');
    const detail = debug ? `Internal server error: ${error.message}` : 'Internal server error';
    return sendError(reply, 'internal_error', detail, { request_id: request.id });
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.allowedFor(request.url);
    // A route of this method that found nothing (e.g. a missing file under /assets/) is a 404.
    if (allowed.length > 0 && !allowed.some((method) => method === request.method)) {
      return sendError(reply.header('Allow', allowed.join(', ')), 'method_not_allowed', 'Method Not Allowed');
    }
    return sendError(reply, 'not_found', 'Not Found');
  });
}
