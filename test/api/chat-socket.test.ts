import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, MessageList, OnlineUser } from '../../src/protocol/chat.js';
import { onlineCursor } from '../../src/protocol/presence.js';
import { changeUser } from '../../src/server/admin/account.commands.js';
import { postServerMessage } from '../../src/server/chat/chat.service.js';
import { createTestApp, withTestApp, type TestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { HandshakeRefused, openSocket, type TestSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('chat over WebSocket on %s', (dialect) => {
  let t: TestApp;
  let base: string;
  const sockets: TestSocket[] = [];
  const connect = async (user: TestUser, origin?: string) => {
    const socket = await openSocket(base, { token: user.token, origin });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    // The instance's first account, its admin: the users below are members.
    await makeUser(t);
    base = await t.listen();
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await t.close();
  });

  it('refuses the handshake without a token, with a bad one, for a disabled user and from a foreign Origin', async () => {
    const refused = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HandshakeRefused);
      return (error as HandshakeRefused).status;
    };
    expect(await refused(openSocket(base))).toBe(401);
    expect(await refused(openSocket(base, { token: 'not-a-token' }))).toBe(401);
    const u = await makeUser(t);
    expect(await refused(openSocket(base, { token: u.token, origin: 'https://evil.example' }))).toBe(403);
    const ok = await connect(u, base);
    await ok.next('hello');
    await changeUser(t.services, { kind: 'cli' }, u.id, { disabled: true });
    expect((await ok.closed).code).toBe(1008);
    expect(await refused(openSocket(base, { token: u.token }))).toBe(401);
  });

  it('says the server limits and how many are online in hello and /auth/me, and pages the online list with a cursor', async () => {
    // An instance of its own, so the online list is exactly these three.
    await withTestApp(dialect, {}, async (own) => {
      const ownBase = await own.listen();
      const people = await Promise.all(Array.from({ length: 3 }, () => makeUser(own)));
      const opened = await Promise.all(people.map((person) => openSocket(ownBase, { token: person.token })));
      try {
        const hellos = await Promise.all(opened.map((socket) => socket.next('hello')));
        const last = hellos.at(-1)!;
        expect(last.limits).toEqual({ edit_window_minutes: 15, max_run_hours: 8 });
        expect(last.online_count).toBe(last.online.length);
        const me = await as(people[0]!).get('/auth/me');
        expect(me.json<{ limits: unknown }>().limits).toEqual({ edit_window_minutes: 15, max_run_hours: 8 });

        const page = async (query: string) => {
          const answer = await as(people[0]!).get(`/api/chat/online${query}`);
          expect(answer.statusCode).toBe(200);
          return answer.json<OnlineUser[]>();
        };
        await expect.poll(async () => (await page('')).length).toBe(3);
        const everyone = await page('');
        const first = await page('?limit=2');
        expect(first).toEqual(everyone.slice(0, 2));
        const rest = await page(`?limit=1000&after=${encodeURIComponent(onlineCursor(first[1]!))}`);
        expect(rest).toEqual(everyone.slice(2));
        const bad = await as(people[0]!).get('/api/chat/online?after=nope');
        expect(bad.statusCode).toBe(422);
      } finally {
        await Promise.all(opened.map((socket) => socket.close()));
      }
    });
  });

  it('accepts the session cookie from this site', async () => {
    const u = await makeUser(t);
    const socket = await openSocket(base, { cookie: `codechicks_session=${u.token}`, origin: base });
    sockets.push(socket);
    const hello = await socket.next('hello');
    expect(hello.user.id).toBe(u.id);
    expect(hello.server_time).toMatch(/Z$/);
  });

  it('tells the others of a burst of 20 connections in small changes, and each newcomer the whole list in its hello', async () => {
    const watcher = await makeUser(t);
    const people = await Promise.all(Array.from({ length: 20 }, () => makeUser(t)));
    const watching = await connect(watcher);
    await watching.next('hello');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const before = watching.frames.length;

    const newcomers = await Promise.all(
      people.map(async (person) => {
        const socket = await connect(person);
        await socket.next('hello');
        return socket;
      }),
    );
    const everyone = (online: { id: number }[]) => people.every((person) => online.some((u) => u.id === person.id));
    await watching.next('presence', (p) => everyone(p.online));

    const updates = watching.frames.slice(before).filter((f) => f.type.startsWith('presence'));
    // On an instance this small an update may go out per newcomer (the window grows with the
    // sockets: see presence.test), but each one only the change, never 20 whole lists.
    expect(updates.length).toBeLessThanOrEqual(people.length);
    expect(new Set(updates.map((f) => f.type))).toEqual(new Set(['presence.changed']));
    // An entry is about 100 bytes; 20 whole lists of up to 21 entries would be over 20 KB.
    expect(updates.reduce((sum, f) => sum + f.bytes, 0)).toBeLessThan(people.length * 200);

    // A newcomer gets the whole list once, in its hello, then changes like everyone else.
    const last = newcomers.at(-1)!;
    await last.next('presence', (p) => everyone(p.online));
    expect(last.frames.filter((f) => f.type === 'hello' || f.type === 'presence').map((f) => f.type)).toEqual([
      'hello',
    ]);
  });

  it('sends a hello first, alone, then every message stored after its last_message_id, while others post', async () => {
    const posters = await Promise.all(Array.from({ length: 6 }, () => makeUser(t)));
    const postingSockets = await Promise.all(posters.map((poster) => connect(poster)));
    await Promise.all(postingSockets.map((socket) => socket.next('hello')));
    const posted: number[] = [];
    const posting = Promise.all(
      postingSockets.map(async (socket, p) => {
        for (let i = 0; i < 5; i++) {
          socket.send({ type: 'message.send', ref: `p${p}-${i}`, content: `while connecting ${p}.${i}` });
          posted.push((await socket.next('ack', (a) => a.ref === `p${p}-${i}`)).message.id);
        }
      }),
    );
    const newcomers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const socket = await connect(await makeUser(t));
        return { socket, hello: await socket.next('hello') };
      }),
    );
    await posting;

    for (const { socket, hello } of newcomers) {
      expect(socket.frames[0]).toMatchObject({ type: 'hello', batch: 1 });
      const missed = posted.filter((id) => id > hello.last_message_id);
      for (const id of missed) await socket.next('message.created', (e) => e.message.id === id);
    }
  });

  it('shows a new display name in presence without reconnecting', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const annSocket = await connect(ann);
    await annSocket.next('hello');
    await (await connect(bob)).next('hello');
    await annSocket.next('presence', (p) => p.online.some((u) => u.id === bob.id));

    const patch = { display_name: 'Bob the Builder' };
    expect((await as(bob).patch('/api/profile', patch)).statusCode).toBe(200);
    await annSocket.next('presence', (p) =>
      p.online.some((u) => u.id === bob.id && u.display_name === 'Bob the Builder'),
    );
  });

  it('shows the name chosen at onboarding in presence without reconnecting', async () => {
    const ann = await makeUser(t);
    const newcomer = await makeUser(t, { complete: false });
    const annSocket = await connect(ann);
    await annSocket.next('hello');
    await (await connect(newcomer)).next('hello');
    await annSocket.next('presence', (p) => p.online.some((u) => u.id === newcomer.id));

    const done = await as(newcomer).post('/api/profile/complete', {
      username: 'fresh_face',
      display_name: 'Fresh Face',
    });
    expect(done.statusCode).toBe(200);
    await annSocket.next('presence', (p) =>
      p.online.some((u) => u.id === newcomer.id && u.display_name === 'Fresh Face' && u.username === 'fresh_face'),
    );
  });

  it('refuses a socket retry of a message deleted since, with a clear error', async () => {
    const ann = await makeUser(t);
    const socket = await connect(ann);
    await socket.next('hello');
    socket.send({ type: 'message.send', ref: 'first', content: 'oops', client_id: 'deleted-retry' });
    const ack = await socket.next('ack');
    await as(ann).delete(`/api/chat/messages/${ack.message.id}`);
    socket.send({ type: 'message.send', ref: 'again', content: 'oops', client_id: 'deleted-retry' });
    expect(await socket.next('error', (e) => e.ref === 'again')).toMatchObject({ code: 'message_deleted' });
  });

  it('carries messages, edits, deletes, reactions, typing and presence between two users', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const annSocket = await connect(ann);
    await annSocket.next('hello');
    const bobSocket = await connect(bob);
    const hello = await bobSocket.next('hello');
    expect(hello.online.map((u) => u.id)).toEqual(expect.arrayContaining([ann.id, bob.id]));
    await annSocket.next('presence', (p) => p.online.some((u) => u.id === bob.id));

    annSocket.send({ type: 'message.send', ref: 'r1', content: 'hi bob', client_id: 'c-1' });
    const ack = await annSocket.next('ack');
    expect(ack).toMatchObject({ ref: 'r1', message: { content: 'hi bob', sender_id: ann.id, client_id: 'c-1' } });
    const created = await bobSocket.next('message.created', (e) => e.message.id === ack.message.id);
    expect(created.message.content).toBe('hi bob');

    await as(ann).patch(`/api/chat/messages/${ack.message.id}`, { content: 'hi Bob' });
    expect((await bobSocket.next('message.updated')).message).toMatchObject({ id: ack.message.id, content: 'hi Bob' });

    await as(bob).post(`/api/chat/messages/${ack.message.id}/reactions`, { emoji: '🎉' });
    expect(await annSocket.next('reactions.updated')).toMatchObject({
      id: ack.message.id,
      reactions: [{ emoji: '🎉', count: 1 }],
      actor_id: bob.id,
    });

    bobSocket.send({ type: 'typing' });
    const typing = await annSocket.next('typing', (e) => e.users.some((u) => u.id === bob.id));
    expect(typing.users).toHaveLength(1);

    await as(ann).delete(`/api/chat/messages/${ack.message.id}`);
    expect(await bobSocket.next('message.deleted')).toEqual({ type: 'message.deleted', id: ack.message.id });

    const online = await as(ann).get('/api/chat/online');
    expect(online.json<{ id: number }[]>().map((u) => u.id)).toEqual(expect.arrayContaining([ann.id, bob.id]));

    await bobSocket.close();
    await annSocket.next('presence', (p) => !p.online.some((u) => u.id === bob.id));
  });

  it('carries a reply live with its preview once, and REST with the Python version’s repeats of it', async () => {
    const ann = await makeUser(t);
    const bobSocket = await connect(await makeUser(t));
    await bobSocket.next('hello');
    const annSocket = await connect(ann);
    await annSocket.next('hello');
    annSocket.send({ type: 'message.send', ref: 'q', content: 'the question' });
    const question = (await annSocket.next('ack')).message;
    annSocket.send({ type: 'message.send', ref: 'a', content: 'the answer', reply_to_id: question.id });
    const answer = (await annSocket.next('ack')).message;

    const live = (await bobSocket.next('message.created', (e) => e.message.id === answer.id)).message;
    expect(live.reply_to).toMatchObject({ id: question.id, excerpt: 'the question' });
    expect(Object.keys(live)).not.toContain('reply_to_username');
    expect(Object.keys(live)).not.toContain('reply_to_content');
    const stored = await as(ann).get(`/api/chat/messages/${answer.id}`);
    expect(stored.json()).toMatchObject({
      reply_to_username: live.reply_to?.sender_name,
      reply_to_content: 'the question',
    });
  });

  it('counts a user once however many tabs they have open', async () => {
    const u = await makeUser(t);
    const tabs = await Promise.all([connect(u), connect(u), connect(u)]);
    await Promise.all(tabs.map((tab) => tab.next('hello')));
    const online = (await as(u).get('/api/chat/online')).json<{ id: number }[]>();
    expect(online.filter((o) => o.id === u.id)).toHaveLength(1);
  });

  it('loses nothing across a disconnect: catch-up gives exactly the missed messages, in order', async () => {
    const reader = await makeUser(t);
    const writer = await makeUser(t);
    const first = await connect(reader);
    const { last_message_id: lastSeen } = await first.next('hello');
    await first.close();

    const sent: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await as(writer).post('/api/chat/messages', { content: `missed ${i}` });
      sent.push(r.json<Message>().id);
    }

    const again = await connect(reader);
    const hello = await again.next('hello');
    expect(hello.last_message_id).toBe(sent[49]);
    const caughtUp: Message[] = [];
    let after = lastSeen;
    for (;;) {
      const page = (await as(reader).get(`/api/chat/messages?after=${after}&limit=20`)).json<MessageList>();
      caughtUp.push(...page.messages);
      if (!page.has_more) break;
      after = page.messages.at(-1)?.id ?? after;
    }
    expect(caughtUp.map((m) => m.id)).toEqual(sent);
    expect(caughtUp.map((m) => m.content)).toEqual(sent.map((_, i) => `missed ${i}`));
  });

  it("sends message.created in id order, also when the server's own posts are stored among people's messages", async () => {
    const reader = await makeUser(t);
    const writer = await makeUser(t);
    const tab = await connect(reader);
    await tab.next('hello');
    const linked: number[] = [];
    for (let i = 0; i < 30; i++) {
      await Promise.all([
        postServerMessage(t.services, writer.id, `card ${i}`, 'sprint', async (trx, id) => {
          // What a sprint's card does: link it to what it is about, before anyone is told of it.
          await trx.selectFrom('messages').select('id').where('id', '=', id).execute();
          linked.push(id);
        }),
        as(writer).post('/api/chat/messages', { content: `message ${i}` }),
      ]);
    }
    const created = () => tab.events.flatMap((e) => (e.type === 'message.created' ? [e.message.id] : []));
    await expect.poll(() => created().length).toBe(60);
    expect(created()).toEqual([...created()].sort((a, b) => a - b));
    expect(linked).toHaveLength(30);
  });

  it('stores one message when a send is retried over the socket with the same client_id', async () => {
    const u = await makeUser(t);
    const socket = await connect(u);
    await socket.next('hello');
    socket.send({ type: 'message.send', ref: 'a', content: 'once', client_id: 'dup-1' });
    socket.send({ type: 'message.send', ref: 'b', content: 'once', client_id: 'dup-1' });
    const [a, b] = [await socket.next('ack', (e) => e.ref === 'a'), await socket.next('ack', (e) => e.ref === 'b')];
    expect(a.message.id).toBe(b.message.id);
    const page = (await as(u).get('/api/chat/messages?page_size=100')).json<MessageList>();
    expect(page.messages.filter((m) => m.client_id === 'dup-1' && m.sender_id === u.id)).toHaveLength(1);
  });

  it('answers bad frames with error events and closes after too many', async () => {
    const u = await makeUser(t);
    const socket = await connect(u);
    await socket.next('hello');
    socket.send('not json');
    expect(await socket.next('error')).toMatchObject({ code: 'bad_frame', detail: expect.stringContaining('JSON') });
    socket.send({ type: 'launch.rockets' });
    expect((await socket.next('error')).detail).toBe('Unknown event type: launch.rockets');
    socket.send({ type: 'message.send', ref: 'x', content: '' });
    expect((await socket.next('error')).detail).toMatch(/^content: /);
    socket.send({ type: 'ping' });
    await socket.next('pong');
    for (let i = 0; i < 4; i++) socket.send('{');
    expect((await socket.closed).code).toBe(1008);
  });

  it('closes a socket that sends a frame over 16 KiB', async () => {
    const u = await makeUser(t);
    const socket = await connect(u);
    await socket.next('hello');
    socket.send({ type: 'message.send', ref: 'big', content: 'x'.repeat(17 * 1024) });
    expect((await socket.closed).code).toBe(1009);
  });
});

describe('a client that never reads', () => {
  it('is closed with 1013 once too much is queued for it, instead of buffering without limit', async () => {
    const t = await createTestApp('sqlite', { env: { RATE_LIMIT_FACTOR: '1000' } });
    try {
      const base = await t.listen();
      const [reader, writer] = [await makeUser(t), await makeUser(t)];
      const stalled = await openSocket(base, { token: reader.token });
      await stalled.next('hello');
      stalled.ws.pause();
      const talker = await openSocket(base, { token: writer.token });
      await talker.next('hello');
      // A control character is stored as one character but sent as six (\u0001): each broadcast
      // frame is ~12 KB, so ~25 MB fill the kernel's socket buffers and then the server's bound.
      const content = '\u0001'.repeat(1999) + 'x';
      for (let batch = 0; batch < 20; batch++) {
        for (let i = 0; i < 100; i++) talker.send({ type: 'message.send', ref: `${batch}-${i}`, content });
        await talker.next('ack', (e) => e.ref === `${batch}-99`, 60_000);
      }
      stalled.ws.resume();
      expect((await stalled.closed).code).toBe(1013);
      await talker.close();
    } finally {
      await t.close();
    }
  }, 240_000);
});

describe.each(testDialects())('chat flood limits on %s', (dialect) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1' } });
    base = await t.listen();
  });
  afterAll(() => t.close());

  it('answers a flood with rate_limited errors, shared with REST', async () => {
    const u = await makeUser(t);
    const socket = await openSocket(base, { token: u.token });
    await socket.next('hello');
    const rest = await as(u).post('/api/chat/messages', { content: 'via REST' });
    expect(rest.statusCode).toBe(201);
    for (let i = 0; i < 6; i++) socket.send({ type: 'message.send', ref: `f${i}`, content: `flood ${i}` });
    const acks = await Promise.all([0, 1, 2, 3].map((i) => socket.next('ack', (e) => e.ref === `f${i}`)));
    expect(acks).toHaveLength(4);
    const limited = await socket.next('error', (e) => e.ref === 'f4');
    expect(limited.code).toBe('rate_limited');
    await socket.next('error', (e) => e.ref === 'f5');
    await socket.close();
  });
});
