import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Audience, Bus, BusMessage } from './bus.js';
import { createLocalBus } from './local-bus.js';
import type { RedisConnections } from './redis-connections.js';

const CHANNEL = 'codechicks:bus';
const PING_TIMEOUT_MS = 1_000;
const LOSS_MARGIN_MS = 10_000;

/**
 * The bus of several instances: every message is delivered here at once (so this instance keeps
 * working while Redis is away) and published on one Redis channel for the others. Pub/sub is
 * at most once: when the subscription comes back after an outage, a `resync` goes to this
 * instance's parts, and the hub asks its clients to reconnect and catch up from the database.
 */
export function createRedisBus(redis: RedisConnections, log: Pick<FastifyBaseLogger, 'warn' | 'info'>): Bus {
  const origin = randomUUID();
  const local = createLocalBus();
  let lostAt: number | null = null;

  redis.subscriber.on('message', (channel: string, raw: string) => {
    if (channel !== CHANNEL) return;
    const decoded = decode(raw);
    if (decoded === undefined) log.warn('bus: dropped a malformed message');
    else if (decoded.origin !== origin) local.publish(decoded.message);
  });
  redis.subscriber.on('close', () => {
    if (lostAt !== null) return;
    log.warn('bus: lost Redis; events now reach this instance only');
    // The connection may have been failing a little before it closed.
    lostAt = Date.now() - LOSS_MARGIN_MS;
  });
  redis.subscriber.on('ready', () => {
    if (lostAt === null) return;
    log.info('bus: Redis is back; asking clients to catch up');
    local.publish({ kind: 'resync', since: lostAt });
    lostAt = null;
  });
  void redis.subscriber.subscribe(CHANNEL).catch((error: unknown) => log.warn({ err: error }, 'bus: subscribe failed'));

  return {
    publish(message) {
      local.publish(message);
      if (message.kind === 'resync') return;
      redis.commands.publish(CHANNEL, encode(origin, message)).catch(() => {
        // Redis is away: the others miss this event and catch up when it is back.
      });
    },
    subscribe: (handler) => local.subscribe(handler),
    async ping() {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('Redis did not answer')), PING_TIMEOUT_MS).unref(),
      );
      await Promise.race([redis.commands.ping(), timeout]);
    },
    async close() {
      await local.close();
      await redis.close();
    },
  };
}

/**
 * `origin \n kind \n header \n body`. An event's frame travels as it was serialized by its
 * publisher: it is never parsed or serialized again on the way.
 */
function encode(origin: string, message: BusMessage): string {
  if (message.kind === 'event') return `${origin}\nevent\n${audienceKey(message.audience)}\n${message.frame}`;
  return `${origin}\n${message.kind}\n\n${JSON.stringify(message)}`;
}

function decode(raw: string): { origin: string; message: BusMessage } | undefined {
  const [origin, kind, header] = raw.split('\n', 3);
  if (origin === undefined || kind === undefined || header === undefined) return undefined;
  const body = raw.slice(origin.length + kind.length + header.length + 3);
  try {
    if (kind === 'event') return { origin, message: { kind: 'event', audience: parseAudience(header), frame: body } };
    return { origin, message: JSON.parse(body) as BusMessage };
  } catch {
    return undefined;
  }
}

function audienceKey(audience: Audience): string {
  return audience.kind === 'user' ? `user:${audience.userId}` : audience.kind;
}

function parseAudience(key: string): Audience {
  if (key === 'all') return { kind: 'all' };
  if (key === 'admins') return { kind: 'admins' };
  const userId = Number(key.slice('user:'.length));
  if (!key.startsWith('user:') || !Number.isSafeInteger(userId)) throw new Error(`bad audience ${key}`);
  return { kind: 'user', userId };
}
