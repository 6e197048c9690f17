import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { helloFor, socketServer, silentLog, type Client } from '../../../test/helpers/ws-server.js';
import { createConnections, type Connection, type Connections } from './connections.js';
import { encodeEvent } from './emit.js';

type Server = Awaited<ReturnType<typeof socketServer>>;

describe('connections', () => {
  let server: Server | undefined;
  let connections: Connections | undefined;
  afterEach(async () => {
    connections?.close();
    await server?.close();
  });

  async function start(
    options: {
      heartbeatMs?: number;
      maxBatchBytes?: number;
      maxSocketsPerUser?: number;
      /** False: the sockets are not sent their hello (the test does it). */
      greet?: boolean;
      /** What the database says of each user; by default everyone is as they connected. */
      sessions?: Map<number, { tokenVersion: number; role: 'user' | 'admin' }>;
    } = {},
  ) {
    const attached: Connection[] = [];
    const closed: number[] = [];
    const made = createConnections({
      clock: { now: () => Date.now() },
      log: silentLog,
      findActiveSessions: async (ids) =>
        new Map(ids.map((id) => [id, options.sessions?.get(id) ?? { tokenVersion: 0, role: 'user' as const }])),
      onClose: (connection) => closed.push(connection.user.id),
      maxSocketsPerUser: options.maxSocketsPerUser ?? 5,
      maxSocketsPerAddress: 100,
      heartbeatMs: options.heartbeatMs,
      maxBatchBytes: options.maxBatchBytes,
    });
    connections = made;
    server = await socketServer((socket, user) => {
      const connection = made.attach(socket, user, '127.0.0.1');
      if (connection === undefined) return;
      if (options.greet !== false) made.greet(connection, helloFor(user));
      attached.push(connection);
    });
    return { connections: made, attached, closed, server };
  }

  const until = (check: () => boolean) => expect.poll(check, { timeout: 15_000 }).toBe(true);

  it('sends the events of one tick to each socket as one array frame, in order, only those for it', async () => {
    const { connections, attached, server } = await start();
    const ann = await server.client(1);
    const bob = await server.client(2);
    await until(() => attached.length === 2);
    const annsSocket = attached.find((c) => c.user.id === 1)!;

    connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id: 1 }));
    connections.deliver({ kind: 'user', userId: 1 }, encodeEvent({ type: 'role.changed', role: 'admin' }));
    connections.send(annsSocket, { type: 'pong' });
    connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id: 2 }));

    await until(() => ann.events.length === 4 && bob.events.length === 2);
    expect(ann.frames).toHaveLength(1);
    expect(ann.frames[0]!.startsWith('[')).toBe(true);
    expect(ann.events.map((e) => e.type)).toEqual(['message.deleted', 'role.changed', 'pong', 'message.deleted']);
    // One event alone travels as a plain object, as before.
    expect(bob.frames).toHaveLength(1);
    expect(bob.events).toEqual([
      { type: 'message.deleted', id: 1 },
      { type: 'message.deleted', id: 2 },
    ]);

    connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id: 3 }));
    await until(() => bob.frames.length === 2);
    expect(bob.frames[1]).toBe('{"type":"message.deleted","id":3}');
  });

  it("gives a send's tick to everyone as one shared frame, and the sender its answer in order within it", async () => {
    const { connections, attached, server } = await start();
    const ann = await server.client(1);
    const bob = await server.client(2);
    const cy = await server.client(3);
    await until(() => attached.length === 3);
    const annsSocket = attached.find((c) => c.user.id === 1)!;

    connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id: 1 }));
    connections.send(annsSocket, { type: 'pong' });
    connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id: 2 }));

    await until(() => ann.events.length === 3 && bob.events.length === 2 && cy.events.length === 2);
    expect(ann.frames).toEqual([
      '[{"type":"message.deleted","id":1},{"type":"pong"},{"type":"message.deleted","id":2}]',
    ]);
    for (const other of [bob, cy]) {
      expect(other.frames).toEqual(['[{"type":"message.deleted","id":1},{"type":"message.deleted","id":2}]']);
    }
  });

  it("holds a socket's events until its hello, which goes first, alone, then the rest in order", async () => {
    const { connections, attached, server } = await start({ greet: false });
    const ann = await server.client(1);
    const raw: string[] = [];
    ann.ws.on('message', (data: Buffer) => raw.push(data.toString()));
    await until(() => attached.length === 1);
    const annsSocket = attached[0]!;

    connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id: 1 }));
    connections.send(annsSocket, { type: 'pong' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id: 2 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(raw).toEqual([]);

    connections.greet(annsSocket, helloFor(annsSocket.user));
    connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id: 3 }));
    await until(() => ann.events.length === 4);
    expect(raw[0]!.startsWith('{"type":"hello"')).toBe(true);
    expect(ann.hello?.user.id).toBe(1);
    expect(ann.events.map((e) => (e.type === 'message.deleted' ? e.id : e.type))).toEqual([1, 'pong', 2, 3]);
  });

  it('closes a socket with 1013 when what waits for its hello passes the bound', async () => {
    const { connections, attached, server } = await start({ greet: false });
    const ann = await server.client(1);
    await until(() => attached.length === 1);
    const closing = new Promise<number>((resolve) => ann.ws.once('close', resolve));
    const detail = 'x'.repeat(60 * 1024);
    for (let i = 0; i < 10; i++)
      connections.deliver({ kind: 'all' }, encodeEvent({ type: 'error', code: 'bad_frame', detail }));
    expect(await closing).toBe(1013);
  });

  it('keeps a frame within its bound: a big tick goes out as several frames, still in order', async () => {
    const { connections, attached, server } = await start({ maxBatchBytes: 200 });
    const ann = await server.client(1);
    await until(() => attached.length === 1);
    for (let id = 1; id <= 30; id++) connections.deliver({ kind: 'all' }, encodeEvent({ type: 'message.deleted', id }));
    await until(() => ann.events.length === 30);
    expect(ann.events.map((e) => (e.type === 'message.deleted' ? e.id : 0))).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    expect(ann.frames.length).toBeGreaterThan(1);
    for (const frame of ann.frames) expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(200);
  });

  it('writes prebuilt frames of every length a client reads: short, 16-bit and 64-bit lengths, multi-byte text', async () => {
    const { connections, attached, server } = await start();
    const ann = await server.client(1);
    await until(() => attached.length === 1);
    const details = [1, 60, 100, 40_000, 70_000].map((n) => 'é'.repeat(n));
    for (const [i, detail] of details.entries()) {
      connections.deliver({ kind: 'all' }, encodeEvent({ type: 'error', code: 'bad_frame', detail }));
      await until(() => ann.events.length === i + 1);
    }
    expect(ann.events.map((e) => (e.type === 'error' ? e.detail : ''))).toEqual(details);
    expect(ann.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('terminates a socket that stops answering pings, with one shared heartbeat', async () => {
    const { attached, closed, server } = await start({ heartbeatMs: 200 });
    const alive = await server.client(1);
    // A client that never answers a ping (ws answers them by itself unless told not to).
    const silent = new WebSocket(`${alive.ws.url.split('/?')[0]}/?user=2`, { autoPong: false });
    await new Promise((resolve) => silent.once('open', resolve));
    await until(() => attached.length === 2);
    await until(() => closed.includes(2));
    expect(closed).not.toContain(1);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    silent.terminate();
  });

  it('pings the sockets in turns over its period, each once, not all at the same moment', async () => {
    const { attached, server } = await start({ heartbeatMs: 3_000 });
    const clients: Client[] = [];
    for (let id = 1; id <= 60; id++) clients.push(await server.client(id));
    await until(() => attached.length === 60);
    const pings = clients.map(() => 0);
    clients.forEach((client, i) => client.ws.on('ping', () => (pings[i]! += 1)));

    await until(() => pings.some((n) => n > 0));
    await new Promise((resolve) => setTimeout(resolve, 30));
    // A turn visits a thirtieth of them (2 of 60); all 60 at once was the old heartbeat.
    expect(pings.filter((n) => n > 0).length).toBeLessThanOrEqual(10);
    await until(() => pings.every((n) => n > 0));
    expect(Math.max(...pings)).toBeLessThanOrEqual(2);
  });

  it('closes all sockets of a session ended elsewhere at once and tells a new role, at the heartbeat', async () => {
    const sessions = new Map<number, { tokenVersion: number; role: 'user' | 'admin' }>();
    // A turn a second: Ann's socket is visited first, then Bob's first tab, then his second.
    const { attached, server } = await start({ heartbeatMs: 30_000, sessions });
    const ann = await server.client(1);
    const bobsTabs = [await server.client(2), await server.client(2)];
    await until(() => attached.length === 3);
    const closedAt: number[] = [];
    const closes: { code: number; reason: string }[] = [];
    for (const tab of bobsTabs) {
      tab.ws.on('close', (code, reason) => {
        closedAt.push(Date.now());
        closes.push({ code, reason: reason.toString() });
      });
    }

    sessions.set(1, { tokenVersion: 0, role: 'admin' });
    sessions.set(2, { tokenVersion: 1, role: 'user' });

    await until(() => closes.length === 2);
    expect(closes).toEqual([
      { code: 1008, reason: 'Session ended' },
      { code: 1008, reason: 'Session ended' },
    ]);
    // Both at the turn that found the session ended, not the second tab at its own turn a second later.
    expect(closedAt[1]! - closedAt[0]!).toBeLessThan(500);
    expect(ann.events.filter((e) => e.type === 'role.changed')).toEqual([{ type: 'role.changed', role: 'admin' }]);
    expect(ann.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('admits at most the cap per person, and again once a socket closed', async () => {
    const { connections, attached, closed, server } = await start({ maxSocketsPerUser: 2 });
    const first: Client = await server.client(7);
    await server.client(7);
    await until(() => attached.length === 2);
    expect(connections.admits(7, '127.0.0.1')).toBe(false);
    expect(connections.admits(8, '127.0.0.1')).toBe(true);
    const third = await server.client(7);
    const code = await new Promise<number>((resolve) => third.ws.once('close', resolve));
    expect(code).toBe(1008);
    first.ws.close();
    await until(() => closed.length === 1);
    expect(connections.admits(7, '127.0.0.1')).toBe(true);
    expect(connections.has(7)).toBe(true);
  });
});
