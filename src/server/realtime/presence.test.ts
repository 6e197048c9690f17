import { afterEach, describe, expect, it } from 'vitest';
import type { OnlineUser } from '../../protocol/chat.js';
import { ONLINE_SHOWN } from '../../protocol/presence.js';
import { helloFor, socketServer, silentLog, type Client } from '../../../test/helpers/ws-server.js';
import { createLocalBus } from '../bus/local-bus.js';
import { createConnections, type Connections } from './connections.js';
import { createPresence, type Presence } from './presence.js';
import { createLocalPresence, type PresenceStore } from './presence-store.js';

type Server = Awaited<ReturnType<typeof socketServer>>;

describe('presence', () => {
  let server: Server | undefined;
  let connections: Connections | undefined;
  let presence: Presence | undefined;
  afterEach(async () => {
    await presence?.close();
    connections?.close();
    await server?.close();
  });

  async function start(
    options: {
      clock?: { now(): number };
      idleAfterMs?: number;
      coalesceMs?: number;
      coalescePerSocketMs?: number;
    } = {},
  ) {
    const clock = options.clock ?? { now: () => Date.now() };
    const local = createLocalPresence();
    const reads = { count: 0 };
    const store: PresenceStore = {
      publish: (entries) => local.publish(entries),
      list: () => {
        reads.count += 1;
        return local.list();
      },
    };
    const bus = createLocalBus();
    const made = createConnections({
      clock,
      log: silentLog,
      findActiveSessions: async () => new Map(),
      onClose: (connection) => shown.left(connection),
      maxSocketsPerUser: 5,
      maxSocketsPerAddress: 1_000,
      heartbeatMs: 60_000,
    });
    const shown = createPresence({
      bus,
      store,
      clock,
      ...(options.idleAfterMs === undefined ? {} : { idleAfterMs: options.idleAfterMs }),
      log: silentLog,
      connections: made,
      loadFocus: async () => ({ focusing: null, quiet: false }),
      coalesceMs: options.coalesceMs ?? 50,
      ...(options.coalescePerSocketMs === undefined ? {} : { coalescePerSocketMs: options.coalescePerSocketMs }),
      countEveryMs: 300,
    });
    bus.subscribe((message) => message.kind === 'presence-changed' && shown.changed());
    connections = made;
    presence = shown;
    server = await socketServer((socket, user) => {
      const connection = made.attach(socket, user, '127.0.0.1');
      if (connection === undefined) return;
      shown.joined(connection);
      // As the app does: the hello carries the view of the update that counted this socket.
      void shown.settle().then((view) => made.greet(connection, helloFor(user, view)));
    });
    return { presence: shown, server, reads };
  }

  /** The view a client holds after applying what it got, as the pages do. */
  const view = (client: Client): { online: OnlineUser[]; online_count: number } =>
    client.events.findLast((e) => e.type === 'presence') ?? client.hello ?? { online: [], online_count: 0 };
  const ids = (online: readonly OnlineUser[]) => online.map((u) => u.id);

  it('shows each socket the first people in order and the count; a newcomer gets that list once, in its hello', async () => {
    const { presence, server } = await start();
    const people = Array.from({ length: ONLINE_SHOWN + 10 }, (_, i) => i + 1);
    const clients: Client[] = [];
    for (const id of people) clients.push(await server.client(id));
    await expect.poll(() => presence.everyone().length).toBe(people.length);
    const hello = await presence.settle();
    expect(hello.online_count).toBe(people.length);
    expect(hello.online).toHaveLength(ONLINE_SHOWN);
    expect(ids(hello.online)).toEqual(ids(presence.everyone().slice(0, ONLINE_SHOWN)));

    // Every socket ends with the same bounded view and the full count, whatever it was sent.
    for (const client of clients) {
      await expect.poll(() => view(client).online_count).toBe(people.length);
      expect(ids(view(client).online)).toEqual(ids(hello.online));
    }
    for (const client of clients) {
      // One whole list each, in its hello, then changes: a wave costs bytes linear in the people, not their square.
      expect(client.hello?.online.length).toBeGreaterThan(0);
      expect(client.frames.join('').length).toBeLessThan(ONLINE_SHOWN * 150 + 60 * 200);
    }
  });

  it('tells the others only the count when someone joins past the people shown', async () => {
    const { presence, server } = await start();
    // Display names "User 1".."User 60": "User 99" sorts after them all, "User 0" before.
    const clients: Client[] = [];
    for (let id = 1; id <= ONLINE_SHOWN + 5; id++) clients.push(await server.client(id));
    const watcher = clients[0]!;
    await expect.poll(() => view(watcher).online_count).toBe(ONLINE_SHOWN + 5);
    const before = watcher.events.length;

    await server.client(99);
    await expect.poll(() => view(watcher).online_count).toBe(ONLINE_SHOWN + 6);
    const changes = watcher.events.slice(before).filter((e) => e.type === 'presence');
    expect(changes.every((e) => !ids(e.online).includes(99))).toBe(true);

    await server.client(0);
    await expect.poll(() => ids(view(watcher).online)).toContain(0);
    expect(view(watcher).online).toHaveLength(ONLINE_SHOWN);
    expect(view(watcher).online_count).toBe(ONLINE_SHOWN + 7);
    expect(ids(presence.everyone())).toContain(99);
  });

  it('shows a person idle at the tick that passes their idle moment, and activity moves it later', async () => {
    let now = 1_000_000;
    const { presence, server } = await start({ clock: { now: () => now }, idleAfterMs: 60_000 });
    const watcher = await server.client(1);
    await server.client(2);
    await expect.poll(() => view(watcher).online_count).toBe(2);
    const statusOf = (id: number) => view(watcher).online.find((u) => u.id === id)?.status;
    const second = [...connections!.all()].find((c) => c.user.id === 2)!;

    now += 30_000;
    presence.touch(second);
    now += 29_999;
    presence.tick();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([statusOf(1), statusOf(2)]).toEqual(['online', 'online']);

    now += 1;
    presence.tick();
    await expect.poll(() => statusOf(1)).toBe('idle');
    expect(statusOf(2)).toBe('online');

    now += 29_999;
    presence.tick();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(statusOf(2)).toBe('online');
    now += 1;
    presence.tick();
    await expect.poll(() => statusOf(2)).toBe('idle');
  });

  it('answers a wave of hellos with shared updates, each counting its socket, not a read of everyone per hello', async () => {
    // A window of 50 ms whatever the number of sockets, as during a large wave.
    const { server, reads } = await start({ coalescePerSocketMs: 50 });
    const first = await server.client(1);
    await expect.poll(() => first.hello?.online_count).toBe(1);
    const before = reads.count;

    const clients = await Promise.all(Array.from({ length: 40 }, (_, i) => server.client(i + 2)));
    await expect.poll(() => clients.every((client) => client.hello !== undefined)).toBe(true);

    // Each hello was sent after the update that counted its own socket.
    for (const [i, client] of clients.entries()) {
      expect(client.hello!.online.some((u) => u.id === i + 2)).toBe(true);
    }
    // One update for the window the 40 hellos came in (a second if one was running): not 40.
    expect(reads.count - before).toBeLessThanOrEqual(3);
  });

  it('answers a hello at once on a small instance, even right after an update', async () => {
    // A wave's window of a minute: a hello that waited it out would time this test out.
    const { server } = await start({ coalesceMs: 60_000 });
    const first = await server.client(1);
    await expect.poll(() => first.hello?.online_count).toBe(1);

    const second = await server.client(2);
    await expect.poll(() => second.hello?.online_count).toBe(2);
    await expect.poll(() => view(first).online_count).toBe(2);
  });
});
