import { emit } from '../realtime/emit.js';
import type { CompleteProfileBody, Profile, ProfilePatch, ProfileStatus } from '../../protocol/profile.js';
import { canonicalTimeZone } from '../../protocol/timezones.js';
import { usernameTaken } from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { UserRow, UserUpdate } from '../db/schema.js';
import { invalidCredentials, validationFailed } from '../http/errors.js';
import * as repo from './profile.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

export async function getProfile(deps: Deps, userId: number): Promise<Profile> {
  const row = await repo.findProfile(deps.db, userId);
  if (row === undefined) throw invalidCredentials();
  return toProfile(row);
}

/** Applies the keys present; `null` clears an optional field. */
export async function updateProfile(
  deps: Deps & Pick<AppContext, 'bus'>,
  userId: number,
  patch: ProfilePatch,
): Promise<Profile> {
  const changes: UserUpdate = {};
  if (patch.username !== undefined) changes.username = patch.username;
  if (patch.display_name !== undefined) changes.display_name = patch.display_name?.trim() ?? null;
  if (patch.age !== undefined) changes.age = patch.age;
  if (patch.bio !== undefined) changes.bio = patch.bio;
  if (patch.avatar_url !== undefined) changes.avatar_url = patch.avatar_url;
  if (patch.timezone !== undefined) changes.timezone = checkTimeZone(patch.timezone);
  setFlags(changes, patch);
  const saved = await save(deps, userId, changes);
  if (patch.username !== undefined || patch.display_name !== undefined || patch.share_focus !== undefined) {
    publishProfile(deps, saved);
  }
  const namesChanged = patch.username !== undefined || patch.display_name !== undefined;
  if (patch.leaderboard !== undefined || (namesChanged && saved.leaderboard === 1)) leaderboardChanged(deps);
  return toProfile(saved);
}

/** Open pages (presence, names on messages, focus shown or not) follow a changed profile at once. */
function publishProfile(deps: Pick<AppContext, 'bus'>, saved: UserRow): void {
  deps.bus.publish({
    kind: 'profile-changed',
    userId: saved.id,
    username: saved.username,
    displayName: saved.display_name,
  });
}

/** Finishes onboarding; never erases a field it was not given. */
export async function completeProfile(
  deps: Deps & Pick<AppContext, 'bus'>,
  userId: number,
  body: CompleteProfileBody,
): Promise<void> {
  const current = await repo.findProfile(deps.db, userId);
  if (current === undefined) throw invalidCredentials();
  const changes: UserUpdate = {
    username: body.username,
    display_name: body.display_name?.trim() ?? current.display_name ?? body.username,
    profile_complete: 1,
  };
  if (body.age != null) changes.age = body.age;
  if (body.bio != null) changes.bio = body.bio;
  if (body.timezone !== undefined) changes.timezone = checkTimeZone(body.timezone);
  setFlags(changes, body);
  const saved = await save(deps, userId, changes);
  publishProfile(deps, saved);
  if (saved.leaderboard === 1) leaderboardChanged(deps);
}

/** Open dashboards read the leaderboard again: someone joined or left it, or renamed themselves on it. */
function leaderboardChanged(deps: Pick<AppContext, 'bus'>): void {
  emit(deps, { kind: 'all' }, { type: 'leaderboard.changed' });
}

/** The opt-in settings present in a patch or onboarding body. */
function setFlags(
  changes: UserUpdate,
  body: Pick<ProfilePatch, 'share_focus' | 'leaderboard' | 'quiet_while_focusing'>,
) {
  if (body.share_focus !== undefined) changes.share_focus = body.share_focus ? 1 : 0;
  if (body.leaderboard !== undefined) changes.leaderboard = body.leaderboard ? 1 : 0;
  if (body.quiet_while_focusing !== undefined) changes.quiet_while_focusing = body.quiet_while_focusing ? 1 : 0;
}

export async function getProfileStatus(deps: Deps, userId: number): Promise<ProfileStatus> {
  const { profile_complete } = await getProfile(deps, userId);
  return { profile_complete, redirect_to: profile_complete ? '/dashboard' : '/onboarding' };
}

async function save(deps: Deps, userId: number, changes: UserUpdate): Promise<UserRow> {
  try {
    return await repo.updateProfile(deps.db, userId, { ...changes, updated_at: deps.clock.now() });
  } catch (error) {
    if (isUniqueViolation(error, 'users.username')) throw usernameTaken();
    throw error;
  }
}

/** Accepts only names the runtime's time zone database knows, e.g. `Asia/Kolkata`; stores its spelling. */
function checkTimeZone(timeZone: string): string {
  const canonical = canonicalTimeZone(timeZone);
  if (canonical === undefined) {
    throw validationFailed('timezone', 'Must be an IANA time zone such as Europe/Berlin', 'timezone');
  }
  return canonical;
}

function toProfile(row: UserRow): Profile {
  return {
    email: row.email,
    username: row.username,
    display_name: row.display_name,
    age: row.age,
    bio: row.bio,
    avatar_url: row.avatar_url,
    timezone: row.timezone,
    profile_complete: row.profile_complete === 1,
    share_focus: row.share_focus === 1,
    leaderboard: row.leaderboard === 1,
    quiet_while_focusing: row.quiet_while_focusing === 1,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
