import type { AdminStats, AdminUser, AdminUserList, AdminUserQuery } from '../../protocol/admin.js';
import type { AppContext } from '../context.js';
import { readTotal } from '../db/totals.js';
import { startOfLocalDay } from '../shared/time.js';
import * as repo from './admin.repository.js';

export type AdminDeps = Pick<AppContext, 'db' | 'clock' | 'bus'>;

const DEFAULT_LIMIT = 50;
const DAY_MS = 24 * 3_600_000;

const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());

export function toAdminUser(row: repo.AdminUserRow, now: number): AdminUser {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    display_name: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    profile_complete: row.profile_complete === 1,
    created_at: new Date(row.created_at).toISOString(),
    last_seen_at: iso(row.last_seen_at),
    // A timeout that ended is no timeout: it ends by itself, nobody has to lift it.
    timed_out_until: row.timed_out_until !== null && row.timed_out_until > now ? iso(row.timed_out_until) : null,
  };
}

export async function listUsers(deps: AdminDeps, query: AdminUserQuery): Promise<AdminUserList> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  const now = deps.clock.now();
  const filter = { search: query.q, role: query.role, state: query.state, now };
  const [rows, total] = await Promise.all([
    repo.findUsers(deps.db, filter, query.sort ?? 'joined', limit, offset),
    repo.countUsers(deps.db, filter),
  ]);
  return { users: rows.map((row) => toAdminUser(row, now)), total, limit, offset };
}

/** Figures for the admin page; "today" is the admin's own calendar day. */
export async function getStats(deps: AdminDeps, adminId: number): Promise<AdminStats> {
  const now = deps.clock.now();
  const today = startOfLocalDay(now, (await repo.findTimezone(deps.db, adminId)) ?? 'UTC');
  const [counts, messages] = await Promise.all([
    repo.countsForStats(deps.db, now - DAY_MS, today),
    readTotal(deps.db, 'live_messages'),
  ]);
  return {
    total_users: counts.total,
    admins: counts.admins,
    disabled_users: counts.disabled,
    incomplete_profiles: counts.incomplete,
    total_messages: messages.count,
    admin_count: counts.admins,
    active_users: counts.active,
    new_users_today: counts.joined,
  };
}
