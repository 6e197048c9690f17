import { serverLimits } from '../config.js';
import type { Me, RegisterBody, Role } from '../../protocol/auth.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { UserRow } from '../db/schema.js';
import { AppError, httpError, invalidCredentials, tooManyRequests } from '../http/errors.js';
import * as repo from './auth.repository.js';
import type { AttemptLimiter } from '../http/attempt-limiter.js';
import { checkAgainstDummy, checkPassword, hashPassword, type PasswordCheck } from './passwords.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'tokens'>;

/** The signed-in user of a request, as the rest of the server sees it. */
export interface SessionUser {
  id: number;
  email: string;
  role: Role;
  username: string | null;
  displayName: string | null;
  profileComplete: boolean;
  /** Epoch seconds at which the presented token was issued (drives silent renewal). */
  tokenIssuedAt: number;
  tokenVersion: number;
}

export interface IssuedToken {
  userId: number;
  token: string;
  /** The first account of an empty instance: it became the admin. */
  firstAdmin?: boolean;
}

const LAST_SEEN_RESOLUTION_MS = 60_000;
const MAX_USERNAME_ATTEMPTS = 10;

export async function register(deps: Deps, body: RegisterBody): Promise<IssuedToken> {
  const user = await createAccount(deps, {
    email: body.email,
    passwordHash: await hashPassword(body.password),
    username: body.username,
    displayName: body.display_name,
  });
  return { ...(await issueFor(deps, user)), firstAdmin: user.role === 'admin' };
}

export interface NewAccount {
  email: string;
  /** null for an account that signs in only with a provider. */
  passwordHash: string | null;
  username?: string;
  displayName?: string;
}

/** Creates an account; without a username it gets a generated one (onboarding follows). */
export async function createAccount(deps: Pick<AppContext, 'db' | 'clock'>, account: NewAccount): Promise<UserRow> {
  const now = deps.clock.now();
  const base = {
    email: normalizeEmail(account.email),
    password_hash: account.passwordHash,
    created_at: now,
    updated_at: now,
  };
  const displayName = account.displayName?.trim();
  if (account.username !== undefined) {
    return insertOrExplain(deps, {
      ...base,
      username: account.username,
      display_name: displayName ?? account.username,
    });
  }
  // A generated username may be taken by a concurrent registration: the index decides, we retry.
  const stem = usernameStem(base.email);
  for (let attempt = 0; attempt < MAX_USERNAME_ATTEMPTS; attempt++) {
    const username = await proposeUsername(deps, stem, attempt);
    try {
      return await insertOrExplain(deps, { ...base, username, display_name: displayName ?? username });
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'username_taken')) throw error;
    }
  }
  throw httpError('service_unavailable', 'Could not pick a free username: please try again');
}

/** An account as the sign-in rules of other features see it. */
export interface Account {
  id: number;
  email: string;
  disabled: boolean;
  hasPassword: boolean;
  profileComplete: boolean;
  /** 'google' | 'github' for an account imported from the Python version that signed in with one. */
  legacyProvider: string | null;
}

export async function findAccount(
  deps: Pick<AppContext, 'db'>,
  by: { id: number } | { email: string },
): Promise<Account | undefined> {
  const user =
    'id' in by
      ? await repo.findUserById(deps.db, by.id)
      : await repo.findUserByEmail(deps.db, normalizeEmail(by.email));
  return (
    user && {
      id: user.id,
      email: user.email,
      disabled: user.disabled === 1,
      hasPassword: user.password_hash !== null,
      profileComplete: user.profile_complete === 1,
      legacyProvider: user.legacy_provider,
    }
  );
}

/** Removes an account created a moment ago that lost a race (nothing else refers to it yet). */
export async function removeNewAccount(deps: Pick<AppContext, 'db'>, userId: number): Promise<void> {
  await repo.deleteUser(deps.db, userId);
}

/** A session for an account another sign-in method (a provider) vouched for. */
export async function issueSession(deps: Deps, userId: number): Promise<IssuedToken> {
  const user = await repo.findUserById(deps.db, userId);
  if (user === undefined) throw invalidCredentials();
  if (user.disabled) throw httpError('account_disabled', 'Account disabled');
  await repo.touchLastSeen(deps.db, user.id, deps.clock.now());
  return issueFor(deps, user);
}

/** Creates the account; the first one of an empty instance becomes admin in the same transaction. */
async function insertOrExplain(
  deps: Pick<AppContext, 'db'>,
  user: Parameters<typeof repo.insertUser>[1],
): Promise<UserRow> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const created = await repo.insertUser(trx, user);
      const first = await repo.promoteIfFirst(trx, created.id, user.created_at);
      return first ? { ...created, role: 'admin' as const } : created;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users.email')) throw httpError('email_taken', 'Email already registered');
    if (isUniqueViolation(error, 'users.username')) throw usernameTaken();
    throw error;
  }
}

export const usernameTaken = () => httpError('username_taken', 'Username already taken');

/** Lower-case letters and digits of the email's local part; `user` when fewer than 3 remain. */
export function usernameStem(email: string): string {
  const stem = (email.split('@')[0] ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 24);
  return stem.length >= 3 ? stem : 'user';
}

async function proposeUsername(deps: Pick<AppContext, 'db'>, stem: string, attempt: number): Promise<string> {
  if (attempt === 0) return stem;
  if (attempt >= MAX_USERNAME_ATTEMPTS / 2) return `${stem}${Math.floor(1000 + Math.random() * 9000)}`;
  const suffixes = (await repo.findUsernamesStartingWith(deps.db, stem))
    .map((name) => name.toLowerCase().slice(stem.length))
    .filter((rest) => /^\d{1,6}$/.test(rest))
    .map(Number);
  return `${stem}${Math.max(1, ...suffixes.map((n) => n + 1))}`;
}

type LoginDeps = Deps & Pick<AppContext, 'loginLimits'>;

export async function login(
  deps: LoginDeps,
  emailInput: string,
  password: string,
  address: string,
): Promise<IssuedToken> {
  const email = normalizeEmail(emailInput);
  return loginWithPassword(deps, email, () => repo.findUserByEmail(deps.db, email), password, address);
}

/**
 * The password proof that the person owns account `userId` (before a provider identity is
 * linked to it): the rules of login, limits and the disabled check included.
 */
export async function loginById(
  deps: LoginDeps,
  userId: number,
  password: string,
  address: string,
): Promise<IssuedToken> {
  const user = await repo.findUserById(deps.db, userId);
  return loginWithPassword(deps, user?.email ?? `#${userId}`, async () => user, password, address);
}

async function loginWithPassword(
  deps: LoginDeps,
  accountKey: string,
  find: () => Promise<UserRow | undefined>,
  password: string,
  address: string,
): Promise<IssuedToken> {
  const { perAccount, perAddress, attemptsPerAddress } = deps.loginLimits;
  const attemptWait = await attemptsPerAddress.take(address);
  if (attemptWait > 0) throw tooManyRequests(attemptWait);
  // A failure is reserved before the password is checked, counted and compared in one step:
  // parallel guesses cannot all pass the check before the first is recorded. A success gives it back.
  const failures = [
    { limiter: perAccount, key: accountKey },
    { limiter: perAddress, key: address },
  ];
  const waits = await Promise.all(failures.map(({ limiter, key }) => limiter.take(key)));
  if (waits.some((wait) => wait > 0)) {
    await refund(failures.filter((_, i) => waits[i] === 0));
    throw tooManyRequests(Math.max(...waits));
  }

  let user: UserRow | undefined;
  let check: PasswordCheck;
  try {
    user = await find();
    check = user?.password_hash ? await checkPassword(password, user.password_hash) : await dummyCheck(password);
  } catch (error) {
    // Not a failed guess (the server was busy, the database away): it does not count.
    await refund(failures);
    throw error;
  }
  if (user === undefined || !check.valid) {
    throw httpError('incorrect_login', 'Incorrect email or password');
  }
  // The right password: no failure to count.
  await perAddress.refund(address);
  if (user.disabled) {
    await perAccount.refund(accountKey);
    throw httpError('account_disabled', 'Account disabled');
  }
  await perAccount.reset(accountKey);
  const now = deps.clock.now();
  if (check.needsRehash) await repo.updatePasswordHash(deps.db, user.id, await hashPassword(password), now);
  await repo.touchLastSeen(deps.db, user.id, now);
  return issueFor(deps, user);
}

async function refund(reserved: readonly { limiter: AttemptLimiter; key: string }[]): Promise<void> {
  await Promise.all(reserved.map(({ limiter, key }) => limiter.refund(key)));
}

async function dummyCheck(password: string): Promise<PasswordCheck> {
  await checkAgainstDummy(password);
  return { valid: false, needsRehash: false };
}

/** The user behind a token, or a 401 for a bad, expired, revoked, unknown or disabled one. */
export async function resolveSession(deps: Deps, token: string): Promise<SessionUser> {
  const claims = await deps.tokens.read(token);
  if (claims === undefined) throw invalidCredentials();
  const user = await repo.findUserById(deps.db, claims.userId);
  if (user === undefined || user.disabled || user.token_version !== claims.version) throw invalidCredentials();
  const now = deps.clock.now();
  if (user.last_seen_at === null || now - user.last_seen_at > LAST_SEEN_RESOLUTION_MS) {
    await repo.touchLastSeen(deps.db, user.id, now);
  }
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    username: user.username,
    displayName: user.display_name,
    profileComplete: user.profile_complete === 1,
    tokenIssuedAt: claims.issuedAt,
    tokenVersion: claims.version,
  };
}

/**
 * A fresh token for the same session, for silent renewal of the browser cookie. It carries the
 * token version that was verified, never one read again: a logout-all or password change that
 * lands between verification and renewal must not be undone by a token of the new version.
 */
export function renewToken(deps: Pick<Deps, 'tokens'>, session: SessionUser): Promise<string> {
  return deps.tokens.issue(session.id, session.tokenVersion);
}

export async function getMe(deps: Deps & Pick<AppContext, 'config'>, userId: number): Promise<Me> {
  const user = await repo.findUserById(deps.db, userId);
  if (user === undefined) throw invalidCredentials();
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    display_name: user.display_name,
    avatar_url: user.avatar_url,
    role: user.role,
    disabled: user.disabled === 1,
    profile_complete: user.profile_complete === 1,
    has_password: user.password_hash !== null,
    timezone: user.timezone,
    created_at: new Date(user.created_at).toISOString(),
    limits: serverLimits(deps.config),
  };
}

/** Revokes every token of the user (logout everywhere); their open sockets close at once. */
export async function revokeAllSessions(deps: Deps & Pick<AppContext, 'bus'>, userId: number): Promise<void> {
  await repo.bumpTokenVersion(deps.db, userId, deps.clock.now());
  deps.bus.publish({ kind: 'sessions-revoked', userId });
}

/** Replaces the password, revokes every other session and returns a token for this one. */
export async function changePassword(
  deps: Deps & Pick<AppContext, 'bus'>,
  userId: number,
  currentPassword: string | undefined,
  newPassword: string,
): Promise<string> {
  const user = await repo.findUserById(deps.db, userId);
  if (user === undefined) throw invalidCredentials();
  // An account without a password (Google/GitHub there, or recovery pending) sets its first one.
  if (user.password_hash === null) return setNewPassword(deps, userId, newPassword);
  if (currentPassword === undefined) {
    throw httpError('current_password_required', 'Current password is required');
  }
  const check = await checkPassword(currentPassword, user.password_hash);
  if (!check.valid) throw httpError('incorrect_password', 'Current password is incorrect');
  if (currentPassword === newPassword) {
    throw httpError('password_unchanged', 'The new password must be different from the current one');
  }
  return setNewPassword(deps, userId, newPassword);
}

/** Stores a new password, ends every session of the user and returns a token for a new one. */
export async function setNewPassword(
  deps: Deps & Pick<AppContext, 'bus'>,
  userId: number,
  newPassword: string,
): Promise<string> {
  const version = await repo.replacePassword(deps.db, userId, await hashPassword(newPassword), deps.clock.now());
  deps.bus.publish({ kind: 'sessions-revoked', userId });
  return deps.tokens.issue(userId, version);
}

/** The current token version and role of each of these users who is still enabled. */
export async function activeSessions(
  deps: Pick<AppContext, 'db'>,
  userIds: number[],
): Promise<Map<number, { tokenVersion: number; role: Role }>> {
  const rows = await repo.findActiveSessions(deps.db, userIds);
  return new Map(rows.map((r) => [r.id, { tokenVersion: r.token_version, role: r.role }]));
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function issueFor(deps: Deps, user: UserRow): Promise<IssuedToken> {
  return { userId: user.id, token: await deps.tokens.issue(user.id, user.token_version) };
}
