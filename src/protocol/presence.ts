import type { OnlineUser } from './chat.js';

/** What changed in the online list: entries that joined or changed, and ids that left. */
export interface PresenceChange {
  set: OnlineUser[];
  removed: number[];
}

/**
 * A socket is shown this many people of the online list (in this order) and the count of all;
 * the rest is paged from `GET /api/chat/online`.
 */
export const ONLINE_SHOWN = 50;

/** `GET /api/chat/online` answers at most this many people at a time. */
export const ONLINE_PAGE_MAX = 1000;

/** The order of every online list, on both sides: by display name, then id. */
export function byDisplayName(a: OnlineUser, b: OnlineUser): number {
  return a.display_name.localeCompare(b.display_name) || a.id - b.id;
}

/** Where a page of the online list ends: `<id>:<display name>` of its last person. */
export function onlineCursor(user: Pick<OnlineUser, 'id' | 'display_name'>): string {
  return `${user.id}:${user.display_name}`;
}

/** The people after `cursor` (none: from the start), at most `limit`, in the order of the list. */
export function onlinePage(online: readonly OnlineUser[], cursor: string | undefined, limit: number): OnlineUser[] {
  if (cursor === undefined) return online.slice(0, limit);
  const colon = cursor.indexOf(':');
  const last = { id: Number(cursor.slice(0, colon)), display_name: cursor.slice(colon + 1) } as OnlineUser;
  return online.filter((user) => byDisplayName(user, last) > 0).slice(0, limit);
}

/** From one online list to the next; null when nothing changed. */
export function presenceChange(before: readonly OnlineUser[], after: readonly OnlineUser[]): PresenceChange | null {
  const previous = new Map(before.map((user) => [user.id, JSON.stringify(user)]));
  const set = after.filter((user) => previous.get(user.id) !== JSON.stringify(user));
  const still = new Set(after.map((user) => user.id));
  const removed = before.filter((user) => !still.has(user.id)).map((user) => user.id);
  return set.length === 0 && removed.length === 0 ? null : { set, removed };
}

/** The online list after a `presence.changed` event. */
export function applyPresenceChange(online: readonly OnlineUser[], change: PresenceChange): OnlineUser[] {
  const byId = new Map(online.map((user) => [user.id, user]));
  for (const id of change.removed) byId.delete(id);
  for (const user of change.set) byId.set(user.id, user);
  return [...byId.values()].sort(byDisplayName);
}
