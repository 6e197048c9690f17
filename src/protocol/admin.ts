import { Type, type Static } from '@sinclair/typebox';
import { RoleSchema } from './auth.js';
import { Nullable, RowId, Timestamp } from './schema.js';

/** One account as an administrator sees it. */
export const AdminUserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  username: Nullable(Type.String()),
  display_name: Nullable(Type.String()),
  role: RoleSchema,
  disabled: Type.Boolean(),
  profile_complete: Type.Boolean(),
  created_at: Timestamp,
  last_seen_at: Nullable(Type.String({ format: 'date-time' })),
  /** Until when they may read but not post; null when not timed out. */
  timed_out_until: Nullable(Type.String({ format: 'date-time' })),
});
export type AdminUser = Static<typeof AdminUserSchema>;

export const AdminUserQuerySchema = Type.Object(
  {
    /** Part of an email, username or display name, any case. */
    q: Type.Optional(Type.String({ maxLength: 254 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    role: Type.Optional(RoleSchema),
    /** Only disabled accounts, or only those timed out now. */
    state: Type.Optional(Type.Union([Type.Literal('disabled'), Type.Literal('timed_out')])),
    /** Newest accounts first (default), or the most recently seen first. */
    sort: Type.Optional(Type.Union([Type.Literal('joined'), Type.Literal('last_seen')])),
  },
  { additionalProperties: false },
);
export type AdminUserQuery = Static<typeof AdminUserQuerySchema>;

/** One page of the matching accounts; `total` counts every match, not just this page. */
export const AdminUserListSchema = Type.Object({
  users: Type.Array(AdminUserSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type AdminUserList = Static<typeof AdminUserListSchema>;

export const AdminUserParamsSchema = Type.Object({ id: RowId });

export const AdminUserChangeSchema = Type.Object(
  { role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1, errorMessage: 'Give a role, disabled, or both' },
);
export type AdminUserChange = Static<typeof AdminUserChangeSchema>;

export const AdminStatsSchema = Type.Object({
  total_users: Type.Integer(),
  admins: Type.Integer(),
  disabled_users: Type.Integer(),
  incomplete_profiles: Type.Integer(),
  total_messages: Type.Integer(),
  /** The Python version's admin page reads these three. */
  admin_count: Type.Integer(),
  /** Seen in the last 24 hours, as on the dashboard. */
  active_users: Type.Integer(),
  /** Joined since midnight in the admin's own time zone, as on the dashboard. */
  new_users_today: Type.Integer(),
});
export type AdminStats = Static<typeof AdminStatsSchema>;
