import { HERE, mentionedNames } from '../../protocol/mentions.js';
import type { SessionUser } from '../auth/auth.service.js';
import type { ChatDeps } from './chat.service.js';
import { findUserIdsByUsernames } from './reading.repository.js';

/**
 * Who a message mentions (protocol/mentions.ts): the named enabled accounts, and for an admin's
 * `@here` everyone online now. Never the sender.
 */
export async function mentionTargets(
  deps: Pick<ChatDeps, 'db' | 'onlineUsers'>,
  sender: Pick<SessionUser, 'id' | 'role'>,
  content: string,
): Promise<number[]> {
  const names = mentionedNames(content);
  const here = names.includes(HERE) && sender.role === 'admin';
  const ids = new Set(await findUserIdsByUsernames(deps.db, names));
  if (here) for (const user of deps.onlineUsers()) ids.add(user.id);
  ids.delete(sender.id);
  return [...ids];
}
