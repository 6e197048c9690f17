import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './schema.js';

/** The sign-in providers CodeChicks knows; each is on only when configured. */
export const PROVIDER_IDS = ['github', 'google', 'oidc'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export const ProviderIdSchema = Type.Union(PROVIDER_IDS.map((id) => Type.Literal(id)));

export const ProviderSchema = Type.Object({ id: ProviderIdSchema, name: Type.String() });
export type Provider = Static<typeof ProviderSchema>;

export const ProvidersSchema = Type.Object({ providers: Type.Array(ProviderSchema) });
export type Providers = Static<typeof ProvidersSchema>;

export const IdentitySchema = Type.Object({
  provider: ProviderIdSchema,
  provider_name: Type.String(),
  linked_at: Timestamp,
});
export type Identity = Static<typeof IdentitySchema>;

export const IdentitiesSchema = Type.Object({
  identities: Type.Array(IdentitySchema),
  has_password: Type.Boolean(),
});
export type Identities = Static<typeof IdentitiesSchema>;

export const PendingLinkSchema = Type.Object({
  provider: ProviderIdSchema,
  provider_name: Type.String(),
  /** The address of the existing account, which the provider vouched for. */
  email: Type.String(),
});
export type PendingLink = Static<typeof PendingLinkSchema>;

export const ConfirmLinkBodySchema = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 1024 }) },
  {
    additionalProperties: false,
  },
);
export type ConfirmLinkBody = Static<typeof ConfirmLinkBodySchema>;

export const RedirectSchema = Type.Object({ redirect_to: Type.String() });
export type Redirect = Static<typeof RedirectSchema>;

/**
 * Why a provider sign-in came back without one: the callback sends the browser to
 * `/?error=<code>` (or `/settings?error=<code>` when linking) and the page shows the text.
 * Never the provider's own words, which may be anything.
 */
export const OAUTH_ERRORS = {
  oauth_denied: 'Sign-in was cancelled at the provider. Nothing was changed.',
  oauth_state: 'That sign-in link had expired or was not started in this browser. Please try again.',
  oauth_failed: 'The provider could not confirm who you are. Please try again.',
  oauth_unavailable: 'The sign-in provider could not be reached. Please try again in a moment.',
  email_unverified:
    'The provider did not confirm your email address. Verify it with the provider (or make a verified address your primary one) and try again.',
  account_disabled: 'This account is disabled.',
  rate_limited: 'Too many sign-in attempts. Please wait a minute and try again.',
  identity_taken: 'That provider account is already linked to another CodeChicks account.',
  provider_linked: 'Your account already has an identity of this provider linked: unlink it first.',
  link_expired: 'The linking request has expired. Please sign in with the provider again.',
} as const;
export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;

export function oauthErrorMessage(code: string | null): string | null {
  return code !== null && Object.hasOwn(OAUTH_ERRORS, code) ? OAUTH_ERRORS[code as OAuthErrorCode] : null;
}
