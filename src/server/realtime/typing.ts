import type { TypingUser } from '../../protocol/chat.js';
import { TYPING_EVERY_MS } from '../../protocol/chat-limits.js';
import type { Bus, BusMessage } from '../bus/bus.js';
import type { Clock } from '../context.js';
import { encodeEvent } from './emit.js';
import type { HubUser } from './connections.js';

export interface TypingOptions {
  bus: Bus;
  clock: Clock;
  /** Sends a serialized `typing` event to every socket here. */
  deliverToAll(frame: string): void;
  /** How long one `typing` keeps a person in the list. */
  ttlMs?: number;
}

export type Typing = ReturnType<typeof createTyping>;

/** Who is typing, shared through the bus: each instance tells its sockets when the list changes. */
export function createTyping(options: TypingOptions) {
  const { bus, clock } = options;
  const ttlMs = options.ttlMs ?? 6_000;
  /** When each person here last had a `typing` relayed: at most one per TYPING_EVERY_MS reaches the bus. */
  const relayed = new Map<number, number>();
  const typing = new Map<number, { until: number; name: string }>();
  let lastFrame = encodeEvent({ type: 'typing', users: [] });

  function deliverIfChanged(): void {
    const users: TypingUser[] = [...typing].map(([id, { name }]) => ({ id, display_name: name }));
    const frame = encodeEvent({ type: 'typing', users });
    if (frame === lastFrame) return;
    lastFrame = frame;
    options.deliverToAll(frame);
  }

  return {
    /** Relays that the person types, at most once per TYPING_EVERY_MS: every relay is a bus publish. */
    relay(user: HubUser): void {
      const now = clock.now();
      const last = relayed.get(user.id);
      if (last !== undefined && now - last < TYPING_EVERY_MS) return;
      relayed.set(user.id, now);
      bus.publish({ kind: 'typing', userId: user.id, displayName: user.displayName, until: now + ttlMs });
    },

    /** A `typing` from the bus (any instance). */
    heard(message: Extract<BusMessage, { kind: 'typing' }>): void {
      if (message.until > clock.now()) typing.set(message.userId, { until: message.until, name: message.displayName });
      else typing.delete(message.userId);
      deliverIfChanged();
    },

    /** Drops those whose `typing` ran out (called every second). */
    expire(): void {
      const now = clock.now();
      for (const [id, { until }] of typing) if (until <= now) typing.delete(id);
      deliverIfChanged();
    },

    /** The person's last socket here closed: they stop typing now, everywhere. */
    left(user: HubUser): void {
      relayed.delete(user.id);
      if (typing.has(user.id))
        bus.publish({ kind: 'typing', userId: user.id, displayName: user.displayName, until: 0 });
    },
  };
}
