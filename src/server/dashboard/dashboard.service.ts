import type { Dashboard, MyDashboard } from '../../protocol/dashboard.js';
import type { OnlineUser } from '../../protocol/chat.js';
import type { AppContext } from '../context.js';
import { readTotal } from '../db/totals.js';
import { invalidCredentials } from '../http/errors.js';
import { localDate, localDayBoundaries, startOfLocalDay, startOfLocalWeek } from '../shared/time.js';
import * as repo from './dashboard.repository.js';

export interface DashboardDeps extends Pick<AppContext, 'db' | 'clock'> {
  /** Who is connected now (presence), for the community's live figures. */
  onlineUsers(): OnlineUser[];
  /** When this process started serving, epoch ms. */
  startedAt: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DAILY_DAYS = 30;

/** Community figures; "today" and "this week" are the caller's, in their own time zone. */
export async function getDashboard(deps: DashboardDeps, userId: number): Promise<Dashboard> {
  const now = deps.clock.now();
  const user = await repo.findUser(deps.db, userId);
  if (user === undefined) throw invalidCredentials();
  const today = startOfLocalDay(now, user.timezone);
  const [users, sessions, running, messages, messagesToday, focusToday, focusWeek] = await Promise.all([
    repo.countUsers(deps.db, now - DAY_MS, today),
    readTotal(deps.db, 'focus_sessions'),
    repo.countRunningTimers(deps.db),
    readTotal(deps.db, 'live_messages'),
    repo.countMessages(deps.db, today),
    repo.focusMsBetween(deps.db, today, now, now),
    repo.focusMsBetween(deps.db, startOfLocalWeek(now, user.timezone), now, now),
  ]);
  const online = deps.onlineUsers();
  return {
    user_stats: { total_users: users.total, active_users: users.active, new_users_today: users.joined },
    activity_summary: {
      total_sessions: sessions.count,
      total_time_seconds: seconds(sessions.totalMs),
      average_session_minutes: sessions.count === 0 ? 0 : round1(sessions.totalMs / sessions.count / 60_000),
    },
    global_metrics: {
      total_timer_starts: sessions.count + running,
      total_messages_sent: messages.count,
      uptime_days: round1((now - deps.startedAt) / DAY_MS),
    },
    community: {
      online_now: online.length,
      focusing_now: online.filter((u) => u.focusing !== null).length,
      messages_today: messagesToday,
      focus_seconds_today: seconds(focusToday),
      focus_seconds_week: seconds(focusWeek),
    },
    last_updated: new Date(now).toISOString(),
  };
}

/** The caller's own figures and their last 30 days, in their time zone. */
export async function getMyDashboard(deps: DashboardDeps, userId: number): Promise<MyDashboard> {
  const now = deps.clock.now();
  const user = await repo.findUser(deps.db, userId);
  if (user === undefined) throw invalidCredentials();
  const tz = user.timezone;
  const boundaries = localDayBoundaries(now, tz, DAILY_DAYS);
  const [messages, focus, daily, todayMs, weekMs] = await Promise.all([
    repo.countMessages(deps.db, 0, userId),
    repo.focusDays(deps.db, userId),
    repo.dailyActivity(deps.db, userId, boundaries),
    repo.focusMsBetween(deps.db, startOfLocalDay(now, tz), now, now, userId),
    repo.focusMsBetween(deps.db, startOfLocalWeek(now, tz), now, now, userId),
  ]);
  // Days are those of the time zone each run was recorded in; today is the caller's today.
  const streaks = streaksOf(new Set(focus.days), localDate(now, tz));
  return {
    user_email: user.email,
    total_messages_sent: messages,
    joined_at: new Date(user.created_at).toISOString(),
    focus: {
      today_seconds: seconds(todayMs),
      week_seconds: seconds(weekMs),
      total_seconds: seconds(focus.totalMs),
      sessions: focus.runs,
      streak_days: streaks.current,
      longest_streak_days: streaks.longest,
    },
    daily: daily.map((day, i) => ({
      date: localDate((boundaries[i] ?? now) + HOUR_MS * 12, tz),
      focus_seconds: seconds(day.focusMs),
      messages: day.messages,
    })),
  };
}

/** The streak up to today (still alive when today has nothing yet but yesterday had), and the longest. */
export function streaksOf(days: ReadonlySet<string>, today: string): { current: number; longest: number } {
  const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
  const numbers = [...days].map(dayNumber).sort((a, b) => a - b);
  let longest = 0;
  let run = 0;
  for (let i = 0; i < numbers.length; i++) {
    run = i > 0 && numbers[i] === (numbers[i - 1] ?? 0) + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  const have = new Set(numbers);
  let cursor = dayNumber(today);
  if (!have.has(cursor)) cursor -= 1;
  let current = 0;
  while (have.has(cursor)) {
    current += 1;
    cursor -= 1;
  }
  return { current, longest };
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A person's focus time this week (their own week, in their time zone), for their profile card. */
export async function weekFocusSeconds(
  deps: Pick<AppContext, 'db' | 'clock'>,
  userId: number,
  timeZone: string,
): Promise<number> {
  const now = deps.clock.now();
  return seconds(await repo.focusMsBetween(deps.db, startOfLocalWeek(now, timeZone), now, now, userId));
}
