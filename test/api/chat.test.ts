import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from '@sinclair/typebox';
import type { ChatStatusSchema, Message, MessageList, Reaction } from '../../src/protocol/chat.js';
import type { ErrorBody } from '../../src/protocol/errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('chat API on %s', (dialect) => {
  let t: TestApp;
  const clock = testClock(Date.now());
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
  });
  afterAll(() => t.close());

  const send = (user: TestUser, payload: object) => as(user).post<Message>('/api/chat/messages', payload);
  const list = async (user: TestUser, query: string) =>
    (await as(user).get<MessageList>(`/api/chat/messages?${query}`)).json();

  it('stores a message and shows it with the sender, never an email', async () => {
    const ann = await makeUser(t, { username: 'ann_store' });
    const bob = await makeUser(t);
    const response = await send(ann, { content: '  hello **world**  ' });
    expect(response.statusCode).toBe(201);
    const message = response.json();
    expect(message).toMatchObject({
      sender_id: ann.id,
      sender_username: 'ann_store',
      sender_name: 'ann_store',
      content: 'hello **world**',
      edited_at: null,
      room_id: 'global',
      message_type: 'text',
      reply_to_id: null,
      reply_to: null,
      reactions: [],
      client_id: null,
    });
    expect(message.timestamp).toMatch(/Z$/);
    expect(JSON.stringify(message)).not.toContain('@example.com');
    const fetched = await as(bob).get<Message>(`/api/chat/messages/${message.id}`);
    expect(fetched.json()).toEqual(message);
  });

  it('validates content: blank, too long, missing', async () => {
    const ann = await makeUser(t);
    for (const payload of [{ content: '   ' }, { content: 'x'.repeat(2001) }, {}]) {
      const response = await send(ann, payload);
      expect(response.statusCode).toBe(422);
      expect(response.json<ErrorBody>().detail[0]).toMatchObject({ loc: ['body', 'content'] });
    }
  });

  it('pages newest first, and cursors before= (older) and after= (newer, oldest first)', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const before = (await list(ann, 'page_size=1')).total_count;
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await send(bob, { content: `page test ${i}` })).json().id);
    const page1 = await list(ann, 'page=1&page_size=3');
    expect(page1.messages.map((m) => m.content)).toEqual(['page test 6', 'page test 5', 'page test 4']);
    expect(page1).toMatchObject({ page: 1, page_size: 3, has_more: true, total_count: before + 7 });
    const older = await list(ann, `before=${ids[4]}&limit=2`);
    expect(older.messages.map((m) => m.content)).toEqual(['page test 3', 'page test 2']);
    const newer = await list(ann, `after=${ids[2]}&limit=3`);
    expect(newer.messages.map((m) => m.content)).toEqual(['page test 3', 'page test 4', 'page test 5']);
    expect(newer.has_more).toBe(true);
    const rest = await list(ann, `after=${ids[5]}&limit=3`);
    expect(rest.messages.map((m) => m.content)).toEqual(['page test 6']);
    expect(rest.has_more).toBe(false);
    // The last page, and one past the end: empty, with the same total.
    const lastPage = Math.ceil(page1.total_count / 3);
    const last = await list(ann, `page=${lastPage}&page_size=3`);
    expect(last.messages.length).toBe(page1.total_count - (lastPage - 1) * 3);
    expect(last.has_more).toBe(false);
    const beyond = await list(ann, `page=${lastPage + 1}&page_size=3`);
    expect(beyond).toMatchObject({ messages: [], total_count: page1.total_count, page: lastPage + 1, has_more: false });
    expect((await as(ann).get('/api/chat/messages?page_size=101')).statusCode).toBe(422);
  });

  it('answers a retried client_id with the stored message, also when retries race', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const first = await send(ann, { content: 'only once', client_id: 'retry-1' });
    const again = await send(ann, { content: 'only once', client_id: 'retry-1' });
    expect(again.json().id).toBe(first.json().id);
    const raced = await Promise.all(
      Array.from({ length: 10 }, () => send(bob, { content: 'race', client_id: 'race-1' })),
    );
    expect(new Set(raced.map((r) => r.json().id)).size).toBe(1);
    // The same client_id from another user is another message.
    const other = await send(bob, { content: 'only once', client_id: 'retry-1' });
    expect(other.json().id).not.toBe(first.json().id);
  });

  it('never answers a retried client_id with a message deleted since', async () => {
    const ann = await makeUser(t);
    const first = (await send(ann, { content: 'sent, then regretted', client_id: 'retry-deleted' })).json();
    expect((await as(ann).delete(`/api/chat/messages/${first.id}`)).statusCode).toBe(204);
    const retry = await send(ann, { content: 'sent, then regretted', client_id: 'retry-deleted' });
    expect(retry.statusCode).toBe(410);
    expect(retry.json<ErrorBody>()).toEqual({
      detail: 'This message was sent and has been deleted since; it is not sent again',
      code: 'message_deleted',
    });
    const live = (await list(ann, 'page_size=100')).messages;
    expect(live.some((m) => m.client_id === 'retry-deleted' || m.content === 'sent, then regretted')).toBe(false);
  });

  it('builds reply previews from the stored message and the current display name', async () => {
    const ann = await makeUser(t, { username: 'ann_reply' });
    const bob = await makeUser(t);
    const original = (await send(ann, { content: 'the original ' + 'long '.repeat(40) })).json();
    const reply = (await send(bob, { content: 'a reply', reply_to_id: original.id })).json();
    expect(reply.reply_to).toEqual({
      id: original.id,
      sender_id: original.sender_id,
      sender_name: 'ann_reply',
      excerpt: expect.stringMatching(/^the original long/),
    });
    expect(reply.reply_to?.excerpt.length).toBeLessThanOrEqual(100);
    expect((await as(ann).patch('/api/profile', { display_name: 'Ann Renamed' })).statusCode).toBe(200);
    const refetched = (await as(bob).get<Message>(`/api/chat/messages/${reply.id}`)).json();
    expect(refetched.reply_to?.sender_name).toBe('Ann Renamed');
    const stale = await send(bob, { content: 'to nowhere', reply_to_id: 999_999 });
    expect(stale.statusCode).toBe(400);
  });

  it('lets only the sender edit, within the edit window', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const message = (await send(ann, { content: 'draft' })).json();
    const edit = (user: TestUser, content: string) =>
      as(user).patch<Message>(`/api/chat/messages/${message.id}`, { content });
    expect((await edit(bob, 'hijack')).statusCode).toBe(403);
    const edited = await edit(ann, 'final');
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ content: 'final', edited_at: expect.stringMatching(/Z$/) });
    clock.advance(16 * 60_000);
    const late = await edit(ann, 'too late');
    expect(late.statusCode).toBe(403);
    expect(late.json<ErrorBody>().detail).toMatch(/within 15 minutes/);
  });

  it('soft-deletes for the sender or an admin only; deleted messages are gone from every read', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const mine = (await send(ann, { content: 'delete me' })).json();
    const forbidden = await as(bob).delete(`/api/chat/messages/${mine.id}`);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json<ErrorBody>().detail).toBe('You can only delete your own messages');
    expect((await as(ann).delete(`/api/chat/messages/${mine.id}`)).statusCode).toBe(204);
    const gone = await as(ann).get(`/api/chat/messages/${mine.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json<ErrorBody>()).toEqual({ detail: 'Message not found', code: 'not_found' });
    expect((await list(ann, 'page_size=100')).messages.some((m) => m.id === mine.id)).toBe(false);

    const bobs = (await send(bob, { content: 'moderate me' })).json();
    const admin = await makeUser(t, { role: 'admin' });
    expect((await as(admin).delete(`/api/chat/messages/${bobs.id}`)).statusCode).toBe(204);
  });

  it('toggles reactions per user and counts them', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const message = (await send(ann, { content: 'react to me' })).json();
    const react = (user: TestUser, emoji: string) => {
      clock.advance(1_000);
      return as(user).post<Reaction[]>(`/api/chat/messages/${message.id}/reactions`, { emoji });
    };
    expect((await react(ann, '👍')).json()).toEqual([{ emoji: '👍', count: 1, me: true }]);
    expect((await react(bob, '👍')).json()).toEqual([{ emoji: '👍', count: 2, me: true }]);
    expect((await react(bob, '🎉')).json()).toEqual([
      { emoji: '👍', count: 2, me: true },
      { emoji: '🎉', count: 1, me: true },
    ]);
    expect((await react(ann, '👍')).json()).toEqual([
      { emoji: '👍', count: 1, me: false },
      { emoji: '🎉', count: 1, me: false },
    ]);
    const seen = (await as(bob).get<Message>(`/api/chat/messages/${message.id}`)).json();
    expect(seen.reactions).toEqual([
      { emoji: '👍', count: 1, me: true },
      { emoji: '🎉', count: 1, me: true },
    ]);
    expect((await react(ann, '<script>')).statusCode).toBe(422);
  });

  it('reports status and the online list', async () => {
    const ann = await makeUser(t);
    const status = async () => (await as(ann).get<Static<typeof ChatStatusSchema>>('/api/chat/status')).json();
    const before = await status();
    expect(before).toMatchObject({ online_users: 0, websocket_ready: true });
    expect(before.total_messages).toBe((await list(ann, 'page_size=1')).total_count);
    await send(ann, { content: 'one more' });
    expect((await status()).total_messages).toBe(before.total_messages + 1);
    expect((await as(ann).get('/api/chat/online')).json()).toEqual([]);
    expect((await guest(t.app).get('/api/chat/status')).statusCode).toBe(401);
  });
});

describe.each(testDialects())('chat limits on %s', (dialect) => {
  it('allows 5 messages in 5 s, then 429 with Retry-After', async () => {
    const t = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1' } });
    try {
      const u = await makeUser(t);
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await as(u).post('/api/chat/messages', { content: `m${i}` });
        codes.push(r.statusCode);
        if (i === 5) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
    } finally {
      await t.close();
    }
  });
});
