import { createHash, randomBytes } from 'node:crypto';
import { RESET_LINK_MINUTES } from '../../protocol/auth.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import type { AttemptLimiter } from '../http/attempt-limiter.js';
import { httpError, tooManyRequests } from '../http/errors.js';
import type { Mailer } from '../mail/mailer.js';
import * as repo from './auth.repository.js';
import { normalizeEmail, setNewPassword, type IssuedToken } from './auth.service.js';
import { resetMail } from './recovery-mail.js';
import * as resets from './recovery.repository.js';

const SITE_NAME = 'CodeChicks';
const LINK_MS = RESET_LINK_MINUTES * 60_000;

/** A reset link needs only where the server is: the CLI makes one without the secret key. */
export type LinkDeps = Pick<AppContext, 'db' | 'clock'> & { config: Pick<Config, 'publicUrl' | 'host' | 'port'> };

export interface RecoveryDeps extends Pick<AppContext, 'db' | 'clock' | 'config' | 'tokens' | 'bus'> {
  mailer: Mailer;
  /** Recovery requests and reset attempts, per address and per account (email or user). */
  limits: { perAddress: AttemptLimiter; perAccount: AttemptLimiter };
  log: { error(details: object, message: string): void };
}

export const FORGOT_ANSWER = 'If an account has this email, a link to choose a new password is on its way.';

/**
 * A new single-use link for the account of this email; only the token's hash is stored. The
 * HTTP route mails it, `npm run users -- reset-link` prints it. Undefined for no such account.
 */
export async function createResetLink(deps: LinkDeps, emailInput: string) {
  const now = deps.clock.now();
  const { token, tokenHash } = newToken();
  // The same work whether the account exists or not, so the answer takes the same time.
  await resets.deleteExpiredResets(deps.db, now);
  const user = await repo.findUserByEmail(deps.db, normalizeEmail(emailInput));
  if (user === undefined || user.disabled) return undefined;
  await resets.insertReset(deps.db, {
    token_hash: tokenHash,
    user_id: user.id,
    created_at: now,
    expires_at: now + LINK_MS,
  });
  const base = deps.config.publicUrl ?? `http://${deps.config.host}:${deps.config.port}`;
  // In the fragment, so the token reaches neither server logs nor a Referer.
  return { email: user.email, link: `${base}/reset#token=${token}` };
}

/** `POST /auth/forgot`: the same answer, in the same time, for every email; a mail when it is an account's. */
export async function requestReset(deps: RecoveryDeps, emailInput: string, address: string): Promise<void> {
  const email = normalizeEmail(emailInput);
  const wait = Math.max(await deps.limits.perAddress.take(address), await deps.limits.perAccount.take(email));
  if (wait > 0) throw tooManyRequests(wait);
  const created = await createResetLink(deps, email);
  if (created === undefined) return;
  // Not awaited: how long the mail server takes must not tell that the account exists.
  const mail = resetMail(created.email, SITE_NAME, created.link, RESET_LINK_MINUTES);
  deps.mailer.send(mail).catch((error: unknown) => {
    deps.log.error({ err: error }, 'the password recovery mail could not be sent');
  });
}

/** `POST /auth/reset`: sets the password, ends every other session, and signs this one in. */
export async function resetPassword(
  deps: RecoveryDeps,
  token: string,
  newPassword: string,
  address: string,
): Promise<IssuedToken> {
  const wait = await deps.limits.perAddress.take(address);
  if (wait > 0) throw tooManyRequests(wait);
  const now = deps.clock.now();
  const tokenHash = hashToken(token);
  const owner = await resets.findLiveReset(deps.db, tokenHash, now);
  if (owner === undefined) throw invalidLink();
  const accountWait = await deps.limits.perAccount.take(`user:${owner}`);
  if (accountWait > 0) throw tooManyRequests(accountWait);
  const userId = await resets.useReset(deps.db, tokenHash, now);
  if (userId === undefined) throw invalidLink();
  const user = await repo.findUserById(deps.db, userId);
  if (user === undefined || user.disabled) throw httpError('account_disabled', 'Account disabled');
  await resets.useAllResetsOf(deps.db, userId, now);
  return { userId, token: await setNewPassword(deps, userId, newPassword) };
}

const invalidLink = () =>
  httpError('invalid_reset_link', 'This link was already used, has expired or is not valid: ask for a new one.');

function newToken() {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
