import type { OnlineUser } from '../../protocol/chat.js';
import { byDisplayName } from '../../protocol/presence.js';
import type { RedisConnections } from '../bus/redis-connections.js';

/** Who is connected, across every instance: each instance contributes its own users. */
export interface PresenceStore {
  /** Replaces this instance's contribution (also refreshes its expiry). */
  publish(entries: readonly OnlineUser[]): Promise<void>;
  /** Every connected user once: online wins over idle, a shared focus is kept. */
  list(): Promise<OnlineUser[]>;
}

export function createLocalPresence(): PresenceStore {
  let mine: readonly OnlineUser[] = [];
  return {
    publish: async (entries) => {
      mine = entries;
    },
    list: async () => merge([mine]),
  };
}

const PREFIX = 'codechicks:presence:';

/**
 * Each instance keeps its list under its own key with an expiry: the users of an instance that
 * crashed vanish when the key expires (`ttlMs`), since nobody refreshes it any more.
 */
export function createRedisPresence(redis: RedisConnections, instanceId: string, ttlMs: number): PresenceStore {
  let mine: readonly OnlineUser[] = [];
  return {
    async publish(entries) {
      mine = entries;
      await redis.commands.set(PREFIX + instanceId, JSON.stringify(entries), 'PX', ttlMs).catch(() => undefined);
    },
    async list() {
      try {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, found] = await redis.commands.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 100);
          cursor = next;
          keys.push(...found);
        } while (cursor !== '0');
        const others = keys.filter((key) => key !== PREFIX + instanceId);
        const values = others.length === 0 ? [] : await redis.commands.mget(...others);
        return merge([mine, ...values.flatMap((v) => (v === null ? [] : [JSON.parse(v) as OnlineUser[]]))]);
      } catch {
        // Redis is away: show at least this instance's users.
        return merge([mine]);
      }
    },
  };
}

function merge(lists: readonly (readonly OnlineUser[])[]): OnlineUser[] {
  const byUser = new Map<number, OnlineUser>();
  for (const entry of lists.flat()) {
    const known = byUser.get(entry.id);
    if (known === undefined) {
      byUser.set(entry.id, { ...entry });
      continue;
    }
    if (entry.status === 'online') known.status = 'online';
    known.focusing ??= entry.focusing;
    known.quiet ||= entry.quiet;
  }
  return [...byUser.values()].sort(byDisplayName);
}
