import * as client from 'openid-client';
import type { GithubConfig, OAuthConfig, OidcProviderConfig } from '../config.js';
import type { Provider, ProviderId } from '../../protocol/oauth.js';

/** Who the provider says the person is. */
export interface ProviderIdentity {
  /** The provider's stable id of the person (`sub`, GitHub's numeric id). */
  subject: string;
  /** Lower-cased; null when the provider gave none. */
  email: string | null;
  /** True only when the provider said so explicitly. */
  emailVerified: boolean;
}

/** The secrets of one browser's flow: the callback must present the same ones. */
export interface FlowChecks {
  state: string;
  codeVerifier: string;
  nonce: string;
}

export interface ProviderClient extends Provider {
  authorizationUrl(checks: FlowChecks): Promise<URL>;
  /** Exchanges the code of the callback's query (checking state, PKCE and, for OpenID, nonce) for the identity. */
  identify(callbackQuery: string, checks: FlowChecks): Promise<ProviderIdentity>;
}

/** The provider could not be reached (down, refusing, timing out), as opposed to refusing the sign-in. */
export class ProviderUnreachable extends Error {
  constructor(cause: unknown) {
    super('sign-in provider unreachable', { cause });
    this.name = 'ProviderUnreachable';
  }
}

const TIMEOUT_SECONDS = 10;

export type ProviderClients = ReadonlyMap<ProviderId, ProviderClient>;

/** The clients of the providers that are on; each sends people back to `<publicUrl>/auth/<id>/callback`. */
export function createProviderClients(oauth: OAuthConfig, publicUrl: string | null): ProviderClients {
  const clients = new Map<ProviderId, ProviderClient>();
  if (publicUrl === null) return clients;
  const redirectUri = (id: ProviderId) => `${publicUrl}/auth/${id}/callback`;
  if (oauth.github) clients.set('github', githubClient(oauth.github, redirectUri('github')));
  if (oauth.google) clients.set('google', oidcClient('google', oauth.google, redirectUri('google')));
  if (oauth.oidc) clients.set('oidc', oidcClient('oidc', oauth.oidc, redirectUri('oidc')));
  return clients;
}

/** The callback as the provider sent it, on the registered redirect URI (whatever proxy sits in front). */
function callbackUrl(redirectUri: string, query: string): URL {
  const url = new URL(redirectUri);
  url.search = query;
  return url;
}

const isPlainHttp = (url: string) => new URL(url).protocol === 'http:';

function oidcClient(id: ProviderId, config: OidcProviderConfig, redirectUri: string): ProviderClient {
  let discovered: Promise<client.Configuration> | undefined;
  // Discovered on first use and kept; a failed discovery is tried again by the next sign-in.
  const configuration = () => {
    discovered ??= client
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, {
        timeout: TIMEOUT_SECONDS,
        ...(isPlainHttp(config.issuer) ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw new ProviderUnreachable(error);
      });
    return discovered;
  };

  return {
    id,
    name: config.name,
    async authorizationUrl(checks) {
      return client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async identify(query, checks) {
      const server = await configuration();
      const tokens = await reachable(() =>
        client.authorizationCodeGrant(server, callbackUrl(redirectUri, query), {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        }),
      );
      const claims = tokens.claims();
      if (claims === undefined) throw new Error('no ID token');
      // Google puts the email in the ID token; other providers may keep it for the userinfo endpoint.
      const source =
        typeof claims.email === 'string'
          ? claims
          : await reachable(() => client.fetchUserInfo(server, tokens.access_token, claims.sub));
      return {
        subject: claims.sub,
        email: typeof source.email === 'string' ? source.email.trim().toLowerCase() : null,
        emailVerified: source.email_verified === true,
      };
    },
  };
}

interface GithubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

function githubClient(config: GithubConfig, redirectUri: string): ProviderClient {
  const server = new client.Configuration(
    {
      issuer: config.oauthUrl,
      authorization_endpoint: `${config.oauthUrl}/login/oauth/authorize`,
      token_endpoint: `${config.oauthUrl}/login/oauth/access_token`,
    },
    config.clientId,
    undefined,
    client.ClientSecretPost(config.clientSecret),
  );
  server.timeout = TIMEOUT_SECONDS;
  if (isPlainHttp(config.oauthUrl)) client.allowInsecureRequests(server);

  async function api<T>(path: string, accessToken: string): Promise<T> {
    const response = await reachable(() =>
      fetch(`${config.apiUrl}${path}`, {
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${accessToken}`,
          'User-Agent': 'CodeChicks',
          'X-GitHub-Api-Version': '2022-11-28',
        },
        signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
      }),
    );
    if (response.status >= 500) throw new ProviderUnreachable(new Error(`GitHub API answered ${response.status}`));
    if (!response.ok) throw new Error(`GitHub API answered ${response.status} for ${path}`);
    return (await response.json()) as T;
  }

  return {
    id: 'github',
    name: 'GitHub',
    async authorizationUrl(checks) {
      return client.buildAuthorizationUrl(server, {
        redirect_uri: redirectUri,
        scope: 'read:user user:email',
        state: checks.state,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async identify(query, checks) {
      const tokens = await reachable(() =>
        client.authorizationCodeGrant(server, callbackUrl(redirectUri, query), {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          idTokenExpected: false,
        }),
      );
      const user = await api<{ id?: unknown }>('/user', tokens.access_token);
      if (typeof user.id !== 'number' && typeof user.id !== 'string') throw new Error('GitHub user without an id');
      // The profile's public email may be unverified: only the primary address GitHub verified counts.
      const emails = await api<GithubEmail[]>('/user/emails', tokens.access_token);
      const primary = Array.isArray(emails) ? emails.find((e) => e.primary === true) : undefined;
      const email = typeof primary?.email === 'string' ? primary.email.trim().toLowerCase() : null;
      return { subject: String(user.id), email, emailVerified: email !== null && primary?.verified === true };
    },
  };
}

/** Runs a call to the provider, telling "could not reach it" apart from "it said no". */
async function reachable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isNetworkFailure(error) ? new ProviderUnreachable(error) : error;
  }
}

function isNetworkFailure(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError') return true;
    if (cause instanceof TypeError && cause.message === 'fetch failed') return true;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND'].includes(code))
      return true;
  }
  return false;
}
