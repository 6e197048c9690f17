import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './schema.js';

export const DashboardSchema = Type.Object({
  user_stats: Type.Object({
    total_users: Type.Integer(),
    active_users: Type.Integer({ description: 'Users seen in the last 24 hours' }),
    new_users_today: Type.Integer({ description: "Users who joined since midnight in the caller's time zone" }),
  }),
  activity_summary: Type.Object({
    total_sessions: Type.Integer({ description: 'Finished focus runs of everyone' }),
    total_time_seconds: Type.Integer(),
    average_session_minutes: Type.Number(),
  }),
  global_metrics: Type.Object({
    total_timer_starts: Type.Integer({ description: 'Runs started: finished ones plus those running now' }),
    total_messages_sent: Type.Integer({ description: 'Messages not deleted' }),
    uptime_days: Type.Number({ description: 'Days this server process has been running' }),
  }),
  community: Type.Object({
    online_now: Type.Integer(),
    focusing_now: Type.Integer({ description: 'People online whose timer runs and who share it' }),
    messages_today: Type.Integer(),
    focus_seconds_today: Type.Integer(),
    focus_seconds_week: Type.Integer({ description: 'Since Monday 00:00 in the caller’s time zone' }),
  }),
  last_updated: Timestamp,
});
export type Dashboard = Static<typeof DashboardSchema>;

export const DailyActivitySchema = Type.Object({
  date: Type.String({ format: 'date', description: "A calendar day in the user's time zone" }),
  focus_seconds: Type.Integer(),
  messages: Type.Integer(),
});
export type DailyActivity = Static<typeof DailyActivitySchema>;

export const MyDashboardSchema = Type.Object({
  user_email: Type.String(),
  total_messages_sent: Type.Integer(),
  joined_at: Timestamp,
  focus: Type.Object({
    today_seconds: Type.Integer(),
    week_seconds: Type.Integer(),
    total_seconds: Type.Integer(),
    sessions: Type.Integer(),
    streak_days: Type.Integer({ description: 'Days in a row, up to today, with focus time' }),
    longest_streak_days: Type.Integer(),
  }),
  /** The last 30 days, oldest first, today last. */
  daily: Type.Array(DailyActivitySchema),
});
export type MyDashboard = Static<typeof MyDashboardSchema>;
