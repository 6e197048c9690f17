import { Type, type Static } from '@sinclair/typebox';
import { ServerLimitsSchema } from './limits.js';
import { Nullable, Timestamp } from './schema.js';

export const Email = Type.String({ format: 'email', maxLength: 254, errorMessage: 'Must be a valid email address' });
export const Password = Type.String({ minLength: 8, maxLength: 128 });
export const Username = Type.String({
  pattern: '^[A-Za-z0-9_]{3,30}$',
  errorMessage: 'Must be 3–30 letters, digits or underscores',
});
export const DisplayName = Type.String({
  minLength: 1,
  maxLength: 50,
  pattern: '\\S',
  errorMessage: 'Must be 1–50 characters and not blank',
});

export const RegisterBodySchema = Type.Object(
  { email: Email, password: Password, username: Type.Optional(Username), display_name: Type.Optional(DisplayName) },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBodySchema>;

export const LoginBodySchema = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;

/** OAuth2 password form, so Swagger's "Authorize" works: `username` carries the email. */
export const LoginFormSchema = Type.Object(
  { username: Email, password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
export type LoginForm = Static<typeof LoginFormSchema>;

export const TokenResponseSchema = Type.Object({ access_token: Type.String(), token_type: Type.Literal('bearer') });
export type TokenResponse = Static<typeof TokenResponseSchema>;

export const RoleSchema = Type.Union([Type.Literal('user'), Type.Literal('admin')]);
export type Role = Static<typeof RoleSchema>;

export const MeSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  username: Nullable(Type.String()),
  display_name: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
  role: RoleSchema,
  disabled: Type.Boolean(),
  profile_complete: Type.Boolean(),
  has_password: Type.Boolean(),
  timezone: Type.String(),
  created_at: Timestamp,
  /** The server's configured limits (`protocol/limits.ts`). */
  limits: ServerLimitsSchema,
});
export type Me = Static<typeof MeSchema>;

/** Password recovery (`/auth/forgot`, `/auth/reset`). */
export const ForgotBodySchema = Type.Object({ email: Email }, { additionalProperties: false });
export type ForgotBody = Static<typeof ForgotBodySchema>;
export const ForgotResponseSchema = Type.Object({ detail: Type.String() });
export const RecoveryAvailableSchema = Type.Object({ available: Type.Literal(true) });
export const ResetBodySchema = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), new_password: Password },
  { additionalProperties: false },
);
export type ResetBody = Static<typeof ResetBodySchema>;
/** How long a recovery link works. */
export const RESET_LINK_MINUTES = 30;
