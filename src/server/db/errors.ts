/**
 * Unique indexes a service may expect to be violated, and how each dialect names them.
 * SQLite reports a plain column index by its columns and an expression index by its name.
 */
const UNIQUE_KEYS = {
  'users.email': { postgres: 'users_email_unique', sqlite: 'users.email' },
  'users.username': { postgres: 'users_username_unique', sqlite: "index 'users_username_unique'" },
  'user_identities.subject': {
    postgres: 'user_identities_subject_unique',
    sqlite: 'user_identities.provider, user_identities.subject',
  },
  'user_identities.user_provider': {
    postgres: 'user_identities_user_provider_unique',
    sqlite: 'user_identities.user_id, user_identities.provider',
  },
  'messages.client_id': { postgres: 'messages_user_client_unique', sqlite: 'messages.user_id, messages.client_id' },
  'message_reports.open': {
    postgres: 'message_reports_open_unique',
    sqlite: 'message_reports.message_id, message_reports.reporter_id',
  },
  'sprints.open_per_creator': { postgres: 'sprints_one_open_per_creator', sqlite: 'sprints.creator_id' },
} as const;

export type UniqueKey = keyof typeof UNIQUE_KEYS;

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

/** True when `error` is the database refusing a duplicate on the given unique index. */
export function isUniqueViolation(error: unknown, key: UniqueKey): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint, message } = error as DriverError;
  const names = UNIQUE_KEYS[key];
  if (code === '23505') return constraint === names.postgres;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT') && typeof message === 'string') {
    return message.endsWith(`: ${names.sqlite}`) || message.includes(`: ${names.sqlite},`);
  }
  return false;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'SQLITE_BUSY',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'not currently accepting connections',
  'Client has encountered a connection error',
];

/** True when the database could not be reached (down, restarting, refusing): worth a retry, not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as DriverError;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((fragment) => message.includes(fragment));
}
