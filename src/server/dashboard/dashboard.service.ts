import type { Dashboard } from '../../protocol/dashboard.js';
import type { AppContext } from '../context.js';
import { startOfLocalDay } from '../shared/time.js';
import * as repo from './dashboard.repository.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Community figures; "today" is the caller's calendar day in their own time zone. */
export async function getDashboard(ctx: Ctx, userId: number): Promise<Dashboard> {
  const now = ctx.clock.now();
  const timeZone = await repo.findTimeZone(ctx.db, userId);
  const users = await repo.countUsers(ctx.db, now - DAY_MS, startOfLocalDay(now, timeZone));
  return {
    user_stats: { total_users: users.total, active_users: users.active, new_users_today: users.joined },
    last_updated: new Date(now).toISOString(),
  };
}
