import type { PublicProfile } from '../../protocol/users.js';
import type { AppContext } from '../context.js';
import { weekFocusSeconds } from '../dashboard/dashboard.service.js';
import { notFound } from '../http/errors.js';
import { focusOf } from '../timer/timer.service.js';
import * as repo from './users.repository.js';

/** What any signed-in person may see of someone: never the email; focus only when they share it. */
export async function getPublicProfile(
  deps: Pick<AppContext, 'db' | 'clock'>,
  username: string,
): Promise<PublicProfile> {
  const row = await repo.findPublicUser(deps.db, username);
  if (row === undefined || row.username === null) throw notFound('User');
  const shares = row.share_focus === 1;
  const [focusing, weekSeconds] = shares
    ? await Promise.all([
        focusOf(deps, row.id).then((state) => state.focusing),
        weekFocusSeconds(deps, row.id, row.timezone),
      ])
    : [null, 0];
  return {
    id: row.id,
    username: row.username,
    display_name: row.display_name ?? row.username,
    bio: row.bio,
    avatar_url: row.avatar_url,
    member_since: new Date(row.created_at).toISOString(),
    focus: shares ? { focusing, week_seconds: weekSeconds } : null,
  };
}
