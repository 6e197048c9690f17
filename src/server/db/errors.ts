/**
 * Unique indexes a service may expect to be violated, and how each dialect names them.
 * SQLite reports a plain column index by its columns and an expression index by its name.
 */
const UNIQUE_KEYS = {
  'users.email': { postgres: 'users_email_unique', sqlite: 'users.email' },
  'users.username': { postgres: 'users_username_unique', sqlite: "index 'users_username_unique'" },
  'messages.client_id': { postgres: 'messages_user_client_unique', sqlite: 'messages.user_id, messages.client_id' },
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
