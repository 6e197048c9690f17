import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './schema.js';

/** Stable error codes of the API: clients may branch on these; the `detail` text may change. */
export type ErrorCode =
  | 'validation_failed'
  | 'bad_request'
  | 'not_authenticated'
  | 'invalid_credentials'
  | 'incorrect_login'
  | 'account_disabled'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'email_taken'
  | 'username_taken'
  | 'incorrect_password'
  | 'password_unchanged'
  | 'current_password_required'
  | 'invalid_reset_link'
  | 'last_admin'
  | 'cannot_disable_self'
  | 'rate_limited'
  | 'slow_mode'
  | 'timed_out'
  | 'cannot_time_out'
  | 'already_reported'
  | 'already_resolved'
  | 'cannot_report_own'
  | 'bad_frame'
  | 'service_unavailable'
  | 'busy'
  | 'too_many_connections'
  | 'page_too_deep'
  | 'internal_error'
  | 'cross_site_request'
  | 'message_deleted'
  | 'too_many_reactions'
  | 'bad_url'
  | 'uri_too_long'
  | 'identity_taken'
  | 'provider_linked'
  | 'last_sign_in_method'
  | 'link_expired'
  | 'sprint_open'
  | 'sprint_closed'
  | 'sprint_full'
  | 'too_many_tasks'
  | 'bad_order';

export const ValidationIssueSchema = Type.Object({
  loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
  msg: Type.String(),
  type: Type.String(),
});
export type ValidationIssue = Static<typeof ValidationIssueSchema>;

/**
 * Every error answer: a sentence for people (or, for 422, the validation items) and a stable
 * code. Routes document it with the codes they can give (`errorResponses` in the server).
 */
export const ErrorBodySchema = Type.Object(
  {
    detail: Type.Union([Type.String(), Type.Array(ValidationIssueSchema)]),
    code: Type.Unsafe<ErrorCode>(Type.String()),
    /** `internal_error`: the id the server logged the error under. */
    request_id: Type.Optional(Type.String()),
    /** `timed_out`: when the timeout ends; `slow_mode`: when the person may post again. */
    until: Type.Optional(Timestamp),
  },
  { description: 'Every error: a human sentence (or validation items) and a stable code' },
);
export type ErrorBody = Static<typeof ErrorBodySchema>;
