import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MentionList, SearchResults, UnreadState } from '../../src/protocol/chat-read.js';
import type { Message, MessageList } from '../../src/protocol/chat.js';
import { changeUser } from '../../src/server/admin/account.commands.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('read position, mentions and search on %s', (dialect) => {
  let t: TestApp;
  let base: string;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    t = await createTestApp(dialect);
    base = await t.listen();
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await t.close();
  });

  // Each test's own two people; `annName` is Ann's username, for mentions of her.
  let pairs = 0;
  const people = async () => {
    const n = ++pairs;
    const annName = `ann_read${n}`;
    return {
      annName,
      ann: await makeUser(t, { username: annName }),
      bob: await makeUser(t, { username: `bob_read${n}` }),
    };
  };

  const connect = async (user: TestUser) => {
    const socket = await openSocket(base, { token: user.token });
    sockets.push(socket);
    await socket.next('hello');
    return socket;
  };
  const send = async (user: TestUser, content: string) => {
    const response = await as(user).post<Message>('/api/chat/messages', { content });
    expect(response.statusCode).toBe(201);
    return response.json();
  };
  const edit = async (user: TestUser, id: number, content: string) => {
    const response = await as(user).patch(`/api/chat/messages/${id}`, { content });
    expect(response.statusCode).toBe(200);
  };
  const remove = async (user: TestUser, id: number) => {
    const response = await as(user).delete(`/api/chat/messages/${id}`);
    expect(response.statusCode).toBe(204);
  };
  const get = async <T>(user: TestUser, url: string) => {
    const response = await as(user).get<T>(url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const unread = (user: TestUser) => get<UnreadState>(user, '/api/chat/unread');
  const markRead = async (user: TestUser, lastReadId: number) => {
    const response = await as(user).put<UnreadState>('/api/chat/read', { last_read_id: lastReadId });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const search = (user: TestUser, q: string, extra = '') =>
    get<SearchResults>(user, `/api/chat/search?q=${encodeURIComponent(q)}${extra}`);
  const latestId = async (user: TestUser) =>
    (await get<MessageList>(user, '/api/chat/messages?limit=1')).messages[0]?.id ?? 0;

  it('moves the read position only forward, and tells my other sockets', async () => {
    const { ann, bob } = await people();
    const first = await send(bob, 'read me first');
    const second = await send(bob, 'read me second');
    const phone = await connect(ann);
    const laptop = await connect(ann);
    const watcher = await connect(bob);

    const moved = await markRead(ann, second.id);
    expect(moved.last_read_id).toBe(second.id);
    for (const socket of [phone, laptop]) {
      const event = await socket.next('read.updated');
      expect(event).toMatchObject({ last_read_id: second.id, unread_count: 0 });
    }

    const back = await markRead(ann, first.id);
    expect(back.last_read_id).toBe(second.id);
    expect((await unread(ann)).last_read_id).toBe(second.id);
    // Past the last message: stops at it.
    expect((await markRead(ann, second.id + 1000)).last_read_id).toBe(await latestId(ann));

    // The person's own sockets only: nobody else hears of it.
    await send(bob, 'a marker after the reads');
    await watcher.next('message.created', (e) => e.message.content === 'a marker after the reads');
    expect(watcher.events.some((e) => e.type === 'read.updated')).toBe(false);
    await Promise.all([phone.close(), laptop.close(), watcher.close()]);
  });

  it('counts unread messages and mentions after messages, edits that add or remove a mention, and deletes', async () => {
    const { ann, bob, annName } = await people();
    await markRead(ann, await latestId(ann));
    expect(await unread(ann)).toMatchObject({ unread_count: 0, mentions_count: 0 });

    const plain = await send(bob, 'nothing for anyone');
    const named = await send(bob, `hey @${annName.toUpperCase()}, look at this`);
    await send(bob, `in code it is no mention: \`@${annName}\` and \`\`\`\n@${annName}\n\`\`\``);
    await send(ann, `my own message is never unread for me, @${annName}`);
    expect(await unread(ann)).toMatchObject({ unread_count: 3, mentions_count: 1 });
    expect(await unread(bob)).toMatchObject({ mentions_count: 0 });

    await edit(bob, plain.id, `now it is for @${annName}`);
    expect(await unread(ann)).toMatchObject({ unread_count: 3, mentions_count: 2 });
    await edit(bob, named.id, 'hey ann, never mind');
    expect(await unread(ann)).toMatchObject({ unread_count: 3, mentions_count: 1 });

    await remove(bob, plain.id);
    expect(await unread(ann)).toMatchObject({ unread_count: 2, mentions_count: 0 });

    const mentions = await get<MentionList>(ann, '/api/chat/mentions');
    expect(mentions.mentions.map((m) => m.message.id)).not.toContain(plain.id);
    expect(mentions.mentions.map((m) => m.message.id)).not.toContain(named.id);

    await markRead(ann, await latestId(ann));
    expect(await unread(ann)).toMatchObject({ unread_count: 0, mentions_count: 0 });
  });

  it('lists the messages that mention me, newest first, with their read state', async () => {
    const { ann, bob, annName } = await people();
    const older = await send(bob, `@${annName} the older one`);
    await markRead(ann, older.id);
    const newer = await send(bob, `and @${annName} the newer one`);
    const list = await get<MentionList>(ann, '/api/chat/mentions?limit=2');
    expect(list.mentions.map((m) => [m.message.id, m.read])).toEqual([
      [newer.id, false],
      [older.id, true],
    ]);
    const rest = await get<MentionList>(ann, `/api/chat/mentions?before=${older.id}&limit=50`);
    expect(rest.mentions.every((m) => m.message.id < older.id)).toBe(true);
  });

  it('@here reaches whoever is online, and only from an admin', async () => {
    const bob = await makeUser(t);
    const carl = await makeUser(t);
    const dora = await makeUser(t);
    await markRead(carl, await latestId(carl));
    await markRead(dora, await latestId(dora));
    const carlOnline = await connect(carl);
    await expect
      .poll(async () => (await get<{ id: number }[]>(bob, '/api/chat/online')).some((u) => u.id === carl.id), {
        timeout: 15_000,
      })
      .toBe(true);

    await send(bob, '@here from someone who is not an admin');
    expect((await unread(carl)).mentions_count).toBe(0);

    await changeUser(t.services, { kind: 'cli' }, bob.id, { role: 'admin' });
    await send(bob, '@here the admin speaks');
    expect((await unread(carl)).mentions_count).toBe(1);
    expect((await unread(dora)).mentions_count).toBe(0);
    await changeUser(t.services, { kind: 'cli' }, bob.id, { role: 'user' });
    await carlOnline.close();
  });

  it('finds words in new and edited messages, never in deleted ones, and marks them', async () => {
    const { ann, bob } = await people();
    const kept = await send(bob, 'The zebrafish compiler emits WebAssembly.');
    const edited = await send(ann, 'a quokka walked in');
    const gone = await send(bob, 'zebrafish secrets to delete');
    await remove(bob, gone.id);
    await edit(ann, edited.id, 'a zebrafish walked in instead');

    const found = await search(ann, 'zebrafish');
    expect(found.terms).toEqual(['zebrafish']);
    expect(found.results.map((r) => r.message.id)).toEqual([edited.id, kept.id]);
    expect(found.results[1]?.marks).toEqual([[4, 13]]);
    expect((await search(ann, 'quokka')).results).toEqual([]);
    expect((await search(ann, 'secrets')).results).toEqual([]);

    // Every word must match, in any case; `*` makes a term a word prefix.
    expect((await search(ann, 'ZEBRAFISH webassembly')).results.map((r) => r.message.id)).toEqual([kept.id]);
    expect((await search(ann, 'zebra')).results).toEqual([]);
    const prefixed = await search(ann, 'ZEBRA* webassem*');
    expect(prefixed.terms).toEqual(['zebra*', 'webassem*']);
    expect(prefixed.results.map((r) => r.message.id)).toEqual([kept.id]);
    expect(prefixed.results[0]?.marks).toEqual([
      [4, 13],
      [29, 40],
    ]);
    expect((await search(ann, 'zebrafish nothere')).results).toEqual([]);
    // Older than a cursor, and bounded.
    const page = await search(ann, 'zebrafish', `&before=${edited.id}&limit=1`);
    expect(page.results.map((r) => r.message.id)).toEqual([kept.id]);
    expect(page.has_more).toBe(false);
    const first = await search(ann, 'zebrafish', '&limit=1');
    expect(first.has_more).toBe(true);
  });

  it('splits words at punctuation the same way on both databases', async () => {
    const { ann, bob } = await people();
    const texts = [
      'deploy to staging.example.com now',
      'snake_case_name and kebab-case-name',
      "don't panic: v2.5.1 shipped",
      'email me at someone@mail.test',
      'path /usr/local/bin/codechick',
    ];
    const ids = new Map<string, number>();
    for (const text of texts) ids.set(text, (await send(bob, text)).id);
    const hits = async (q: string) =>
      (await search(ann, q)).results.map((r) => texts.find((text) => ids.get(text) === r.message.id));
    expect(await hits('example')).toEqual([texts[0]]);
    expect(await hits('staging com')).toEqual([texts[0]]);
    expect(await hits('case name')).toEqual([texts[1]]);
    expect(await hits('kebab')).toEqual([texts[1]]);
    expect(await hits('panic shipped')).toEqual([texts[2]]);
    expect(await hits('mail test')).toEqual([texts[3]]);
    expect(await hits('local codechick')).toEqual([texts[4]]);
    expect(await hits('codech*')).toEqual([texts[4]]);
    expect(await hits('codech')).toEqual([]);
    expect((await search(ann, '  *** "" ')).results).toEqual([]);
    const invalid = await as(ann).get('/api/chat/search?q=');
    expect(invalid.statusCode).toBe(422);
  });

  it('opens around a message: at the first and at the latest one', async () => {
    const { ann, bob } = await people();
    // Enough messages of this test's own, whatever ran before it.
    for (let i = 0; i < 10; i++) await send(i % 2 ? ann : bob, `around ${i}`);
    const all = await get<MessageList>(ann, '/api/chat/messages?page_size=100');
    const oldestFirst = [...all.messages].reverse();
    const firstId = oldestFirst[0]?.id ?? 0;
    const lastId = oldestFirst[oldestFirst.length - 1]?.id ?? 0;

    const atFirst = await get<MessageList>(ann, `/api/chat/messages?around=${firstId}&limit=6`);
    expect(atFirst.messages.map((m) => m.id)).toEqual(
      oldestFirst
        .slice(0, 4)
        .map((m) => m.id)
        .reverse(),
    );
    expect(atFirst).toMatchObject({ has_more: false, has_newer: true });

    const atLast = await get<MessageList>(ann, `/api/chat/messages?around=${lastId}&limit=6`);
    expect(atLast.messages.map((m) => m.id)).toEqual(
      oldestFirst
        .slice(-3)
        .map((m) => m.id)
        .reverse(),
    );
    expect(atLast).toMatchObject({ has_more: true, has_newer: false });

    const middle = oldestFirst[5]?.id ?? 0;
    const around = await get<MessageList>(ann, `/api/chat/messages?around=${middle}&limit=4`);
    expect(around.messages.map((m) => m.id)).toEqual(
      oldestFirst
        .slice(4, 8)
        .map((m) => m.id)
        .reverse(),
    );

    const deleted = await send(bob, 'soon gone');
    await remove(bob, deleted.id);
    const missing = await as(ann).get(`/api/chat/messages?around=${deleted.id}`);
    expect(missing.statusCode).toBe(404);
  });

  it("shows a person's public profile, never the email; focus only when shared; 404 unknown or disabled", async () => {
    const ann = await makeUser(t);
    const eve = await makeUser(t, { username: 'eve_profile', shareFocus: true, profile: { bio: 'Rust and tea' } });
    expect((await as(eve).post('/api/timer/start', { label: 'Parser' })).statusCode).toBe(200);
    const card = await get<Record<string, unknown>>(ann, '/api/users/EVE_profile');
    expect(card).toMatchObject({
      id: eve.id,
      username: 'eve_profile',
      display_name: 'eve_profile',
      bio: 'Rust and tea',
      avatar_url: null,
      focus: { focusing: { label: 'Parser' }, week_seconds: expect.any(Number) },
    });
    expect(JSON.stringify(card)).not.toContain('@example.com');
    expect(Object.keys(card).sort()).toEqual(
      ['avatar_url', 'bio', 'display_name', 'focus', 'id', 'member_since', 'username'].sort(),
    );

    expect((await as(eve).patch('/api/profile', { share_focus: false })).statusCode).toBe(200);
    expect((await get<{ focus: unknown }>(ann, '/api/users/eve_profile')).focus).toBeNull();

    const unknown = await as(ann).get('/api/users/nobody_here');
    expect(unknown.statusCode).toBe(404);
    await changeUser(t.services, { kind: 'cli' }, eve.id, { disabled: true });
    const disabled = await as(ann).get('/api/users/eve_profile');
    expect(disabled.statusCode).toBe(404);
  });

  it('documents the new routes in /openapi.json', async () => {
    const openapi = await guest(t.app).get<{ paths: Record<string, unknown> }>('/openapi.json');
    const paths = Object.keys(openapi.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/chat/read',
        '/api/chat/unread',
        '/api/chat/mentions',
        '/api/chat/search',
        '/api/users/{username}',
      ]),
    );
  });
});
