import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './schema.js';

export const UserStatsSchema = Type.Object({
  total_users: Type.Integer(),
  active_users: Type.Integer({ description: 'Users seen in the last 24 hours' }),
  new_users_today: Type.Integer({ description: "Users who joined since midnight in the caller's time zone" }),
});

export const DashboardSchema = Type.Object({
  user_stats: UserStatsSchema,
  last_updated: Timestamp,
});
export type Dashboard = Static<typeof DashboardSchema>;
