import type { ErrorCode, ValidationIssue } from '../../protocol/errors.js';

/** The one error type services throw; the error handler maps it to `{detail, code}` JSON. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers, e.g. `WWW-Authenticate` or `Retry-After`. */
    readonly headers: Readonly<Record<string, string>> = {},
    /** For a 422 found by a service rather than a schema: shown like schema errors. */
    readonly issues?: readonly ValidationIssue[],
    /** An instant the client needs to act on (see `ErrorBody.until`). */
    readonly until?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const BEARER = { 'WWW-Authenticate': 'Bearer' };

export const notAuthenticated = () => new AppError(401, 'not_authenticated', 'Not authenticated', BEARER);
export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'Could not validate credentials', BEARER);
export const forbidden = (message = 'You do not have permission to do this') => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const badRequest = (code: ErrorCode, message: string) => new AppError(400, code, message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', `Too many requests: try again in ${retryAfterSeconds} s`, {
    'Retry-After': String(retryAfterSeconds),
  });

/** Refused until that instant: a timeout (403 `timed_out`) or slow mode (429 `slow_mode`, with Retry-After). */
export function refusedUntil(code: 'timed_out' | 'slow_mode', until: number, now: number): AppError {
  const at = new Date(until).toISOString();
  if (code === 'timed_out') {
    return new AppError(
      403,
      code,
      `You are timed out until ${at}: you can read, but not post, edit or react`,
      {},
      undefined,
      until,
    );
  }
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new AppError(
    429,
    code,
    `Slow mode is on: you can post again in ${seconds} s`,
    { 'Retry-After': String(seconds) },
    undefined,
    until,
  );
}
