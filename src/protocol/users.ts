import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Timestamp } from './schema.js';
import { Username } from './auth.js';
import { FocusingSchema } from './chat.js';

export const UsernameParamsSchema = Type.Object({ username: Username });

/** What anyone signed in may see of a person: never the email. */
export const PublicProfileSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  display_name: Type.String(),
  bio: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
  member_since: Timestamp,
  /** Only when they share their focus: focusing now (since, label) and this week's focus time. */
  focus: Type.Union([
    Type.Object({
      focusing: Type.Union([FocusingSchema, Type.Null()]),
      week_seconds: Type.Integer(),
    }),
    Type.Null(),
  ]),
});
export type PublicProfile = Static<typeof PublicProfileSchema>;
