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
  | 'last_admin'
  | 'cannot_disable_self'
  | 'rate_limited'
  | 'bad_frame'
  | 'service_unavailable'
  | 'internal_error'
  | 'identity_taken'
  | 'provider_linked'
  | 'last_sign_in_method'
  | 'link_expired';

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export interface ErrorBody {
  detail: string | ValidationIssue[];
  code: ErrorCode;
  request_id?: string;
}
