import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { safeNextPath } from '../../protocol/next-path.js';
import type { OAuthErrorCode, PendingLink, Provider, ProviderId } from '../../protocol/oauth.js';
import * as auth from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { AppError, httpError, notFound } from '../http/errors.js';
import type { FlowSigner, FlowState } from './flow-cookie.js';
import * as repo from './oauth.repository.js';
import { ProviderUnreachable, type ProviderClient, type ProviderClients, type ProviderIdentity } from './providers.js';

export interface OAuthDeps extends Pick<AppContext, 'db' | 'clock' | 'tokens' | 'loginLimits'> {
  readonly providers: ProviderClients;
  readonly flows: FlowSigner;
}

/** Where a callback sends the browser, and why (for the log line; never the email). */
export type CallbackOutcome =
  | { kind: 'signed-in'; userId: number; token: string; created: boolean; redirectTo: string }
  | { kind: 'linked'; userId: number; redirectTo: string }
  | { kind: 'needs-proof'; userId: number; pendingCookie: string; redirectTo: string }
  | { kind: 'refused'; code: OAuthErrorCode; userId: number | null; redirectTo: string; reason?: string };

export interface CallbackParams {
  /** The raw query string, as the provider sent it. */
  query: string;
  state?: string;
  error?: string;
}

export type FlowIntent = { kind: 'sign-in'; next: string | undefined } | { kind: 'link'; userId: number };

/** The providers that are on, for the buttons. */
export function listProviders(deps: Pick<OAuthDeps, 'providers'>): Provider[] {
  return [...deps.providers.values()].map(({ id, name }) => ({ id, name }));
}

function providerOf(deps: Pick<OAuthDeps, 'providers'>, id: string): ProviderClient {
  const provider = deps.providers.get(id as ProviderId);
  if (provider === undefined) throw notFound('Sign-in provider');
  return provider;
}

/** The provider's sign-in page for a new flow, and the signed cookie the callback must bring back. */
export async function startFlow(
  deps: OAuthDeps,
  id: string,
  intent: FlowIntent,
): Promise<{ redirectTo: string; flowCookie: string }> {
  const provider = providerOf(deps, id);
  const flow: FlowState = {
    provider: provider.id,
    state: client.randomState(),
    codeVerifier: client.randomPKCECodeVerifier(),
    nonce: client.randomNonce(),
    intent: intent.kind,
    userId: intent.kind === 'link' ? intent.userId : null,
    next: intent.kind === 'sign-in' ? safeNextPath(intent.next) : null,
  };
  try {
    const url = await provider.authorizationUrl(flow);
    return { redirectTo: url.href, flowCookie: await deps.flows.signFlow(flow) };
  } catch (error) {
    if (error instanceof ProviderUnreachable) {
      throw httpError('service_unavailable', `${provider.name} could not be reached: please try again`);
    }
    throw error;
  }
}

function refusal(code: OAuthErrorCode, to: '/' | '/settings', userId: number | null = null, reason?: string) {
  return { kind: 'refused', code, userId, redirectTo: `${to}?error=${code}`, reason } as const;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The provider's callback: checks that this browser started the flow, exchanges the code, then
 * signs in, links, or asks for the password of the account the email belongs to.
 */
export async function finishFlow(
  deps: OAuthDeps,
  id: string,
  params: CallbackParams,
  flowCookie: string | undefined,
  signedInUserId: number | null,
  address: string,
): Promise<CallbackOutcome> {
  const provider = providerOf(deps, id);
  const flow = await deps.flows.readFlow(flowCookie);
  const to = flow?.intent === 'link' ? '/settings' : '/';
  if (params.error !== undefined)
    return refusal(params.error === 'access_denied' ? 'oauth_denied' : 'oauth_failed', to);
  const { perAddress } = deps.loginLimits;
  if ((await perAddress.retryAfter(address)) > 0) return refusal('rate_limited', to);
  if (flow === undefined || flow.provider !== provider.id || !sameSecret(params.state ?? '', flow.state)) {
    await perAddress.take(address);
    return refusal('oauth_state', to);
  }

  let identity: ProviderIdentity;
  try {
    identity = await provider.identify(params.query, flow);
  } catch (error) {
    await perAddress.take(address);
    const code = error instanceof ProviderUnreachable ? 'oauth_unavailable' : 'oauth_failed';
    return refusal(code, to, flow.userId, error instanceof Error ? `${error.name}: ${error.message}` : undefined);
  }
  if (flow.intent === 'link') return linkToSignedIn(deps, provider, identity, flow, signedInUserId);
  return signIn(deps, provider, identity, flow.next);
}

async function signIn(
  deps: OAuthDeps,
  provider: ProviderClient,
  identity: ProviderIdentity,
  next: string | null,
  retried = false,
): Promise<CallbackOutcome> {
  const linked = await repo.findIdentity(deps.db, provider.id, identity.subject);
  if (linked !== undefined) return sessionFor(deps, linked.user_id, false, next);
  // From here on the email decides, so only an address the provider verified is used.
  if (identity.email === null || !identity.emailVerified) return refusal('email_unverified', '/');
  const email = identity.email;
  const retry = () =>
    retried ? Promise.reject(new Error('sign-in raced twice')) : signIn(deps, provider, identity, next, true);

  const existing = await auth.findAccount(deps, { email });
  if (existing !== undefined) {
    if (existing.disabled) return refusal('account_disabled', '/', existing.id);
    // Imported from the Python version, where this person signed in only with this provider.
    if (existing.legacyProvider === provider.id && !existing.hasPassword) {
      if (!(await linkIdentity(deps, provider.id, identity.subject, existing.id, email))) return retry();
      return sessionFor(deps, existing.id, false, next);
    }
    // Never taken over on the email alone: the owner proves the account is theirs first.
    const pendingCookie = await deps.flows.signPending({
      provider: provider.id,
      subject: identity.subject,
      email,
      userId: existing.id,
    });
    return { kind: 'needs-proof', userId: existing.id, pendingCookie, redirectTo: `/?link=${provider.id}` };
  }

  let userId: number;
  try {
    userId = (await auth.createAccount(deps, { email, passwordHash: null })).id;
  } catch (error) {
    // Registered a moment ago by someone else (or by this person's other tab): decide again.
    if (error instanceof AppError && error.code === 'email_taken') return retry();
    throw error;
  }
  if (!(await linkIdentity(deps, provider.id, identity.subject, userId, email))) {
    await auth.removeNewAccount(deps, userId);
    return retry();
  }
  return sessionFor(deps, userId, true, next);
}

/** Links the identity; false when the database refused it as already linked (a race lost). */
async function linkIdentity(
  deps: Pick<OAuthDeps, 'db' | 'clock'>,
  provider: ProviderId,
  subject: string,
  userId: number,
  email: string | null,
): Promise<boolean> {
  try {
    await repo.insertIdentity(deps.db, { provider, subject, user_id: userId, email, created_at: deps.clock.now() });
    return true;
  } catch (error) {
    if (isUniqueViolation(error, 'user_identities.subject')) return false;
    if (isUniqueViolation(error, 'user_identities.user_provider')) {
      throw httpError('provider_linked', 'This account already has another identity of this provider linked');
    }
    throw error;
  }
}

async function sessionFor(
  deps: OAuthDeps,
  userId: number,
  created: boolean,
  next: string | null,
): Promise<CallbackOutcome> {
  const account = await auth.findAccount(deps, { id: userId });
  if (account === undefined) return refusal('oauth_failed', '/');
  if (account.disabled) return refusal('account_disabled', '/', userId);
  const { token } = await auth.issueSession(deps, userId);
  const redirectTo = account.profileComplete ? (next ?? '/dashboard') : '/onboarding';
  return { kind: 'signed-in', userId, token, created, redirectTo };
}

async function linkToSignedIn(
  deps: OAuthDeps,
  provider: ProviderClient,
  identity: ProviderIdentity,
  flow: FlowState,
  signedInUserId: number | null,
): Promise<CallbackOutcome> {
  // Only the person who asked to link, still signed in in this browser, gets the identity.
  if (flow.userId === null || signedInUserId !== flow.userId) return refusal('oauth_state', '/settings');
  const userId = flow.userId;
  const linked = await repo.findIdentity(deps.db, provider.id, identity.subject);
  if (linked !== undefined && linked.user_id !== userId) return refusal('identity_taken', '/settings', userId);
  if (linked === undefined) {
    const email = identity.emailVerified ? identity.email : null;
    try {
      if (!(await linkIdentity(deps, provider.id, identity.subject, userId, email))) {
        return refusal('identity_taken', '/settings', userId);
      }
    } catch (error) {
      if (error instanceof AppError && error.code === 'provider_linked')
        return refusal('provider_linked', '/settings', userId);
      throw error;
    }
  }
  return { kind: 'linked', userId, redirectTo: `/settings?linked=${provider.id}` };
}

const linkExpired = () =>
  httpError('link_expired', 'No linking is waiting (it expires after 10 minutes): sign in with the provider again');

/** The identity waiting for the password of its account, for the login page to explain. */
export async function pendingLink(deps: OAuthDeps, cookie: string | undefined): Promise<PendingLink> {
  const pending = await deps.flows.readPending(cookie);
  const provider = pending && deps.providers.get(pending.provider);
  if (pending === undefined || provider === undefined) throw linkExpired();
  return { provider: pending.provider, provider_name: provider.name, email: pending.email };
}

/** The password proof of the account the verified email belongs to; then the identity is linked and the person signed in. */
export async function confirmLink(
  deps: OAuthDeps,
  cookie: string | undefined,
  password: string,
  address: string,
): Promise<{ userId: number; provider: ProviderId; token: string }> {
  const pending = await deps.flows.readPending(cookie);
  if (pending === undefined || !deps.providers.has(pending.provider)) throw linkExpired();
  const issued = await auth.loginById(deps, pending.userId, password, address).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'incorrect_login') {
      throw httpError('incorrect_login', 'Incorrect password');
    }
    throw error;
  });
  const linked = await linkIdentity(deps, pending.provider, pending.subject, pending.userId, pending.email);
  if (!linked) {
    const owner = await repo.findIdentity(deps.db, pending.provider, pending.subject);
    if (owner?.user_id !== pending.userId) {
      throw httpError('identity_taken', 'That provider account is already linked to another CodeChicks account');
    }
  }
  return { userId: pending.userId, provider: pending.provider, token: issued.token };
}
