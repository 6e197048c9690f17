import { Password } from '../../protocol/auth.js';

/** The server's password rule (src/protocol), in words and as a check, for the pages. */
export const PASSWORD_MIN = Password.minLength ?? 8;
export const PASSWORD_MAX = Password.maxLength ?? 128;
export const PASSWORD_HINT = `${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `Must be at most ${PASSWORD_MAX} characters`;
  return null;
}
