import type { ErrorCode, ValidationIssue } from '../../protocol/errors.js';

/**
 * The HTTP status of every error code: the one place a status is chosen. `bad_frame` is sent
 * only over the WebSocket; its status says what it would be over HTTP.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  bad_url: 400,
  bad_frame: 400,
  bad_order: 400,
  email_taken: 400,
  username_taken: 400,
  incorrect_password: 400,
  password_unchanged: 400,
  current_password_required: 400,
  invalid_reset_link: 400,
  cannot_report_own: 400,
  page_too_deep: 400,
  not_authenticated: 401,
  invalid_credentials: 401,
  incorrect_login: 401,
  account_disabled: 403,
  forbidden: 403,
  timed_out: 403,
  cross_site_request: 403,
  not_found: 404,
  link_expired: 404,
  method_not_allowed: 405,
  last_admin: 409,
  cannot_disable_self: 409,
  cannot_time_out: 409,
  already_reported: 409,
  already_resolved: 409,
  too_many_reactions: 409,
  identity_taken: 409,
  provider_linked: 409,
  last_sign_in_method: 409,
  sprint_open: 409,
  sprint_closed: 409,
  sprint_full: 409,
  too_many_tasks: 409,
  message_deleted: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  slow_mode: 429,
  too_many_connections: 429,
  internal_error: 500,
  service_unavailable: 503,
  busy: 503,
} as const satisfies Record<ErrorCode, number>;

export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export interface ErrorExtras {
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** For a 422 found by a service rather than a schema: shown like schema errors. */
  readonly issues?: readonly ValidationIssue[];
  /** An instant the client needs to act on (see `ErrorBody.until`). */
  readonly until?: number;
}

/** The one error type services throw; the error handler maps it to `{detail, code}` JSON. */
export class AppError extends Error {
  readonly status: ErrorStatus;
  readonly headers: Readonly<Record<string, string>>;
  readonly issues?: readonly ValidationIssue[];
  readonly until?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    extras: ErrorExtras = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    // Every 401 says how to authenticate.
    this.headers = this.status === 401 ? { 'WWW-Authenticate': 'Bearer', ...extras.headers } : (extras.headers ?? {});
    this.issues = extras.issues;
    this.until = extras.until;
  }
}

/** An error of that code; its status comes from `ERROR_STATUS`. */
export const httpError = (code: ErrorCode, message: string, extras?: ErrorExtras) =>
  new AppError(code, message, extras);

export const notAuthenticated = () => httpError('not_authenticated', 'Not authenticated');
export const invalidCredentials = () => httpError('invalid_credentials', 'Could not validate credentials');
export const forbidden = (message = 'You do not have permission to do this') => httpError('forbidden', message);
export const notFound = (what: string) => httpError('not_found', `${what} not found`);
export const tooManyRequests = (retryAfterSeconds: number) =>
  httpError('rate_limited', `Too many requests: try again in ${retryAfterSeconds} s`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
/** A 422 a service finds (a rule no schema can state), listed like the schema's own. */
export const validationFailed = (field: string, message: string, type: string) =>
  httpError('validation_failed', message, { issues: [{ loc: ['body', field], msg: message, type }] });

/** Refused until that instant: a timeout (403 `timed_out`) or slow mode (429 `slow_mode`, with Retry-After). */
export function refusedUntil(code: 'timed_out' | 'slow_mode', until: number, now: number): AppError {
  const at = new Date(until).toISOString();
  if (code === 'timed_out') {
    return httpError(code, `You are timed out until ${at}: you can read, but not post, edit or react`, { until });
  }
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return httpError(code, `Slow mode is on: you can post again in ${seconds} s`, {
    headers: { 'Retry-After': String(seconds) },
    until,
  });
}
