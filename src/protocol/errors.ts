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

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export interface ErrorBody {
  detail: string | ValidationIssue[];
  code: ErrorCode;
  request_id?: string;
  /** `timed_out`: when the timeout ends; `slow_mode`: when the person may post again. */
  until?: string;
}
