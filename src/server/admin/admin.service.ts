import type { AdminStats, AdminUser, AdminUserChange, AdminUserList, AdminUserQuery } from '../../protocol/admin.js';
import type { ServerEvent } from '../../protocol/chat.js';
import * as authRepo from '../auth/auth.repository.js';
import type { AppContext } from '../context.js';
import type { DialectName } from '../db/database.js';
import { readTotal } from '../db/totals.js';
import { AppError, forbidden, notFound } from '../http/errors.js';
import { startOfLocalDay } from '../shared/time.js';
import * as repo from './admin.repository.js';

export interface AdminDeps extends Pick<AppContext, 'db' | 'clock' | 'bus'> {
  dialect: DialectName;
}

const DEFAULT_LIMIT = 50;
const DAY_MS = 24 * 3_600_000;

function toAdminUser(row: repo.AdminUserRow): AdminUser {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    display_name: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    profile_complete: row.profile_complete === 1,
    created_at: new Date(row.created_at).toISOString(),
    last_seen_at: row.last_seen_at === null ? null : new Date(row.last_seen_at).toISOString(),
  };
}

export async function listUsers(deps: AdminDeps, query: AdminUserQuery): Promise<AdminUserList> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  const [rows, total] = await Promise.all([
    repo.findUsers(deps.db, query.q, limit, offset),
    repo.countUsers(deps.db, query.q),
  ]);
  return { users: rows.map(toAdminUser), total, limit, offset };
}

/** Figures for the admin page; "today" is the admin's own calendar day. */
export async function getStats(deps: AdminDeps, adminId: number): Promise<AdminStats> {
  const now = deps.clock.now();
  const admin = await authRepo.findUserById(deps.db, adminId);
  const today = startOfLocalDay(now, admin?.timezone ?? 'UTC');
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

/**
 * Changes someone's role or access. The place always keeps an enabled admin, and an admin cannot
 * disable themselves (they would be locked out mid-sentence). Disabling signs the user out
 * everywhere at once, sockets included.
 */
export async function changeUser(
  deps: AdminDeps,
  actorId: number,
  userId: number,
  change: AdminUserChange,
): Promise<AdminUser> {
  const now = deps.clock.now();
  const { user, disabledNow, roleBefore } = await deps.db.transaction().execute(async (trx) => {
    const admins = await repo.lockActiveAdmins(trx, deps.dialect);
    // The actor may have been demoted or disabled since their request was let in.
    if (!admins.some((a) => a.id === actorId)) throw forbidden('Administrators only');
    const target = await repo.findUser(trx, userId);
    if (target === undefined) throw notFound('User');
    const disable = change.disabled === true && target.disabled === 0;
    if (disable && userId === actorId) {
      throw new AppError(409, 'cannot_disable_self', 'You cannot disable your own account');
    }
    const isActiveAdmin = admins.some((a) => a.id === userId);
    const staysActiveAdmin = (change.role ?? target.role) === 'admin' && !(change.disabled ?? target.disabled === 1);
    if (isActiveAdmin && !staysActiveAdmin && admins.length === 1) {
      throw new AppError(
        409,
        'last_admin',
        'This is the last admin: promote someone else first, or nobody could run the place',
      );
    }
    const role = change.role ?? target.role;
    const disabled = change.disabled === undefined ? target.disabled : Number(change.disabled);
    if (role !== target.role) await authRepo.setRole(trx, userId, role, now);
    if (disabled !== target.disabled) await authRepo.setDisabled(trx, userId, disabled === 1, now);
    return { user: { ...target, role, disabled }, disabledNow: disable, roleBefore: target.role };
  });
  // After the commit, so no instance re-reads the user before the change is visible.
  if (disabledNow) deps.bus.publish({ kind: 'sessions-revoked', userId });
  if (user.role !== roleBefore) {
    const event: ServerEvent = { type: 'role.changed', role: user.role };
    deps.bus.publish({ kind: 'event', audience: { kind: 'user', userId }, frame: JSON.stringify(event) });
  }
  return toAdminUser(user);
}
