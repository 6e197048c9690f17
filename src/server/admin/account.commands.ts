import { emit } from '../realtime/emit.js';
import type { AdminUser, AdminUserChange } from '../../protocol/admin.js';
import { forbidden, httpError, notFound } from '../http/errors.js';
import { recordAudit, type Actor } from '../moderation/audit.service.js';
import { timeoutEnd } from '../moderation/posting.rules.js';
import * as repo from './admin.repository.js';
import { toAdminUser, type AdminDeps } from './admin.service.js';

/**
 * The account commands: one function per action, called by the admin API and by `npm run users`
 * alike, so both follow the same rules, reach open pages the same way and leave the same audit row.
 */

type Trx = AdminDeps['db'];

/** Locks the enabled admins and checks that an admin actor still is one (they may have been demoted since). */
async function lockAdmins(deps: AdminDeps, trx: Trx, actor: Actor): Promise<{ id: number }[]> {
  const admins = await repo.lockActiveAdmins(trx);
  if (actor.kind === 'admin' && !admins.some((a) => a.id === actor.id)) throw forbidden('Administrators only');
  return admins;
}

async function findTarget(trx: Trx, userId: number): Promise<repo.AdminUserRow> {
  const target = await repo.findUser(trx, userId);
  if (target === undefined) throw notFound('User');
  return target;
}

/** The account with this email (any case), for the users command. */
export async function findAccountByEmail(deps: AdminDeps, email: string): Promise<AdminUser | undefined> {
  const row = await repo.findUserByEmail(deps.db, email.trim().toLowerCase());
  return row === undefined ? undefined : toAdminUser(row, deps.clock.now());
}

/**
 * Changes someone's role or access. The place always keeps an enabled admin, and an admin cannot
 * disable themselves (they would be locked out mid-sentence). Disabling signs the user out
 * everywhere at once, sockets included.
 */
export async function changeUser(
  deps: AdminDeps,
  actor: Actor,
  userId: number,
  change: AdminUserChange,
): Promise<AdminUser> {
  const now = deps.clock.now();
  const { user, disabledNow, roleBefore } = await deps.db.transaction().execute(async (trx) => {
    const admins = await lockAdmins(deps, trx, actor);
    const target = await findTarget(trx, userId);
    const disable = change.disabled === true && target.disabled === 0;
    if (disable && actor.kind === 'admin' && userId === actor.id) {
      throw httpError('cannot_disable_self', 'You cannot disable your own account');
    }
    const isActiveAdmin = admins.some((a) => a.id === userId);
    const staysActiveAdmin = (change.role ?? target.role) === 'admin' && !(change.disabled ?? target.disabled === 1);
    if (isActiveAdmin && !staysActiveAdmin && admins.length === 1) {
      throw httpError(
        'last_admin',
        'This is the last admin: promote someone else first, or nobody could run the place',
      );
    }
    const role = change.role ?? target.role;
    const disabled = change.disabled === undefined ? target.disabled : Number(change.disabled);
    const details: Record<string, unknown> = {};
    if (role !== target.role) {
      await repo.setRole(trx, userId, role, now);
      details.role = { from: target.role, to: role };
    }
    if (disabled !== target.disabled) {
      await repo.setDisabled(trx, userId, disabled === 1, now);
      details.disabled = { from: target.disabled === 1, to: disabled === 1 };
    }
    if (Object.keys(details).length > 0) {
      await recordAudit(trx, { actor, action: 'account.changed', targetUserId: userId, details }, now);
    }
    return { user: { ...target, role, disabled }, disabledNow: disable, roleBefore: target.role };
  });
  // After the commit, so no instance re-reads the user before the change is visible.
  if (disabledNow) deps.bus.publish({ kind: 'sessions-revoked', userId });
  if (user.role !== roleBefore) deps.bus.publish({ kind: 'role-changed', userId, role: user.role });
  return toAdminUser(user, now);
}

/**
 * Times someone out for `minutes` (0 lifts it): they can read but not post, edit or react until
 * then, and it ends by itself. Admins cannot time out admins, nor themselves.
 */
export async function timeOutUser(deps: AdminDeps, actor: Actor, userId: number, minutes: number): Promise<AdminUser> {
  const now = deps.clock.now();
  const until = timeoutEnd(now, minutes);
  const user = await deps.db.transaction().execute(async (trx) => {
    await lockAdmins(deps, trx, actor);
    const target = await findTarget(trx, userId);
    if (target.role === 'admin' || (actor.kind === 'admin' && actor.id === userId)) {
      throw httpError('cannot_time_out', 'Admins cannot be timed out: demote them first');
    }
    await repo.setTimedOutUntil(trx, userId, until, now);
    const details = { minutes, until: until === null ? null : new Date(until).toISOString() };
    await recordAudit(trx, { actor, action: 'account.timed_out', targetUserId: userId, details }, now);
    return { ...target, timed_out_until: until };
  });
  emit(
    deps,
    { kind: 'user', userId },
    { type: 'timeout.changed', timed_out_until: toAdminUser(user, now).timed_out_until },
  );
  return toAdminUser(user, now);
}
