import { afterEach, describe, expect, it } from 'vitest';
import { TYPING_EVERY_MS } from '../../protocol/chat-limits.js';
import { helloFor, socketServer, silentLog } from '../../../test/helpers/ws-server.js';
import type { BusMessage } from '../bus/bus.js';
import { createLocalBus } from '../bus/local-bus.js';
import { createConnections, type Connections, type HubUser } from './connections.js';
import { createTyping } from './typing.js';

type Server = Awaited<ReturnType<typeof socketServer>>;

describe('typing', () => {
  let server: Server | undefined;
  let connections: Connections | undefined;
  afterEach(async () => {
    connections?.close();
    await server?.close();
  });

  it('relays a person at most once per interval, shows them to every socket, and drops them when it runs out', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const bus = createLocalBus();
    const made = createConnections({
      clock,
      log: silentLog,
      findActiveSessions: async () => new Map(),
      onClose: () => undefined,
      maxSocketsPerUser: 5,
      maxSocketsPerAddress: 100,
    });
    connections = made;
    const typing = createTyping({
      bus,
      clock,
      ttlMs: 6_000,
      deliverToAll: (frame) => made.deliver({ kind: 'all' }, frame),
    });
    const relayed: BusMessage[] = [];
    bus.subscribe((message) => {
      if (message.kind !== 'typing') return;
      relayed.push(message);
      typing.heard(message);
    });
    server = await socketServer((socket, user) => {
      const connection = made.attach(socket, user, '127.0.0.1');
      if (connection !== undefined) made.greet(connection, helloFor(user));
    });
    const watcher = await server.client(2);
    await expect.poll(() => made.has(2)).toBe(true);
    const ann: HubUser = { id: 1, username: 'ann', displayName: 'Ann', role: 'user', tokenVersion: 0 };

    for (let i = 0; i < 10; i++) typing.relay(ann);
    expect(relayed).toHaveLength(1);
    await expect.poll(() => watcher.events.at(-1)).toEqual({ type: 'typing', users: [{ id: 1, display_name: 'Ann' }] });

    now += TYPING_EVERY_MS;
    typing.relay(ann);
    expect(relayed).toHaveLength(2);
    // The same list again is not sent again.
    expect(watcher.events.filter((e) => e.type === 'typing')).toHaveLength(1);

    now += 6_001;
    typing.expire();
    await expect.poll(() => watcher.events.at(-1)).toEqual({ type: 'typing', users: [] });

    typing.relay(ann);
    typing.left(ann);
    expect(relayed.at(-1)).toMatchObject({ kind: 'typing', userId: 1, until: 0 });
    await expect
      .poll(() => watcher.events.filter((e) => e.type === 'typing').at(-1))
      .toEqual({ type: 'typing', users: [] });
  });
});
