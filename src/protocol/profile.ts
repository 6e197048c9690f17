import { Type, type Static } from '@sinclair/typebox';
import { DisplayName, Password, Username } from './auth.js';
import { Nullable, Timestamp } from './schema.js';

export const Age = Type.Integer({ minimum: 13, maximum: 120 });
export const Bio = Type.String({ maxLength: 500 });
export const AvatarUrl = Type.String({
  maxLength: 2048,
  pattern: '^https?://[^\\s]+$',
  errorMessage: 'Must be an http(s) URL of at most 2048 characters',
});
export const TimeZone = Type.String({
  maxLength: 64,
  pattern: '^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*$',
  errorMessage: 'Must be an IANA time zone such as Europe/Berlin',
});

export const ProfileSchema = Type.Object({
  email: Type.String(),
  username: Nullable(Type.String()),
  display_name: Nullable(Type.String()),
  age: Nullable(Type.Integer()),
  bio: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
  timezone: Type.String(),
  profile_complete: Type.Boolean(),
  share_focus: Type.Boolean(),
  /** Listed on the weekly leaderboard; off unless asked. */
  leaderboard: Type.Boolean(),
  /** Mention notifications and sounds wait while the timer runs; off unless asked. */
  quiet_while_focusing: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Profile = Static<typeof ProfileSchema>;

/** Absent keys stay as they are; `null` clears an optional field (the username cannot be cleared). */
export const ProfilePatchSchema = Type.Object(
  {
    username: Type.Optional(Username),
    display_name: Type.Optional(Nullable(DisplayName)),
    age: Type.Optional(Nullable(Age)),
    bio: Type.Optional(Nullable(Bio)),
    avatar_url: Type.Optional(Nullable(AvatarUrl)),
    timezone: Type.Optional(TimeZone),
    share_focus: Type.Optional(Type.Boolean()),
    leaderboard: Type.Optional(Type.Boolean()),
    quiet_while_focusing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ProfilePatch = Static<typeof ProfilePatchSchema>;

export const CompleteProfileBodySchema = Type.Object(
  {
    username: Username,
    display_name: Type.Optional(Nullable(DisplayName)),
    age: Type.Optional(Nullable(Age)),
    bio: Type.Optional(Nullable(Bio)),
    timezone: Type.Optional(TimeZone),
    /** Whether others online see that (and on what) this person is focusing; off unless asked. */
    share_focus: Type.Optional(Type.Boolean()),
    leaderboard: Type.Optional(Type.Boolean()),
    quiet_while_focusing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CompleteProfileBody = Static<typeof CompleteProfileBodySchema>;

export const CompleteProfileResponseSchema = Type.Object({
  message: Type.String(),
  profile_complete: Type.Literal(true),
  redirect_to: Type.Literal('/dashboard'),
});

export const ProfileStatusSchema = Type.Object({
  profile_complete: Type.Boolean(),
  redirect_to: Type.Union([Type.Literal('/dashboard'), Type.Literal('/onboarding')]),
});
export type ProfileStatus = Static<typeof ProfileStatusSchema>;

export const PasswordChangeBodySchema = Type.Object(
  {
    /** Required unless the account has no password yet (`has_password` false): then this sets the first one. */
    current_password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    new_password: Password,
  },
  { additionalProperties: false },
);
export type PasswordChangeBody = Static<typeof PasswordChangeBodySchema>;

export const PasswordChangeResponseSchema = Type.Object({
  message: Type.String(),
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
});
