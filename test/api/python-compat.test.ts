import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminStats } from '../../src/protocol/admin.js';
import type { ApiMessage } from '../../src/protocol/chat.js';
import { createTestApp, withTestApp, type TestApp } from '../helpers/app.js';
import { as, type Method } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { makeUser, type TestUser } from '../helpers/users.js';

/**
 * The calls of the Python version's latest pages (ec06ceb), as they send them: every request
 * with `Content-Type: application/json`, reply ids as digit strings, edits with PUT.
 */
describe.each(testDialects())('the Python version’s pages on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  /** `authFetch` of the old `auth.js`: Bearer and a JSON content type, body or not. */
  const oldFetch = (user: TestUser, method: Method, url: string, body?: object) =>
    as(user).request(method, url, body === undefined ? undefined : JSON.stringify(body), {
      headers: { 'content-type': 'application/json' },
    });

  const send = async (user: TestUser, body: object) => {
    const response = await oldFetch(user, 'POST', '/api/chat/messages', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<ApiMessage>();
  };

  it('takes an empty JSON body as no body on bodyless POST and DELETE', async () => {
    const ann = await makeUser(t);
    const start = await oldFetch(ann, 'POST', '/api/start');
    expect(start.statusCode, start.body).toBe(200);
    const stop = await oldFetch(ann, 'POST', '/api/stop');
    expect(stop.statusCode, stop.body).toBe(200);
    expect(stop.json()).toMatchObject({ is_running: false });

    const message = await send(ann, { content: 'to be deleted' });
    const removed = await oldFetch(ann, 'DELETE', `/api/chat/messages/${message.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await oldFetch(ann, 'GET', `/api/chat/messages/${message.id}`)).statusCode).toBe(404);
  });

  it('still refuses malformed JSON', async () => {
    const ann = await makeUser(t);
    const response = await as(ann).post('/api/chat/messages', '{"content": ', {
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
  });

  it('accepts reply_to_id as a digit string and quotes from the stored message, not the client', async () => {
    const ann = await makeUser(t, { username: 'ann_py' });
    const bob = await makeUser(t);
    const original = await send(ann, { content: 'the original words' });
    const reply = await send(bob, {
      content: 'a reply',
      reply_to_id: String(original.id),
      reply_to_username: 'Mallory',
      reply_to_content: 'words ann never wrote',
    });
    expect(reply.reply_to_id).toBe(original.id);
    expect(reply.reply_to_username).toBe('ann_py');
    expect(reply.reply_to_content).toBe('the original words');
    expect(reply.reply_to).toMatchObject({ id: original.id, sender_name: 'ann_py', excerpt: 'the original words' });

    const listed = (await oldFetch(ann, 'GET', '/api/chat/messages?page_size=50')).json<{ messages: ApiMessage[] }>();
    const shown = listed.messages.find((m) => m.id === reply.id);
    expect(shown).toMatchObject({ reply_to_username: 'ann_py', reply_to_content: 'the original words' });
    const notAReply = listed.messages.find((m) => m.id === original.id);
    expect(notAReply).toMatchObject({ reply_to_username: null, reply_to_content: null });

    for (const bad of ['0', '6a', '-3', '']) {
      const refused = await oldFetch(bob, 'POST', '/api/chat/messages', { content: 'x', reply_to_id: bad });
      expect(refused.statusCode, bad).toBe(422);
    }
  });

  it('edits with PUT exactly as with PATCH', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const message = await send(ann, { content: 'frist' });
    const edited = await oldFetch(ann, 'PUT', `/api/chat/messages/${message.id}`, { content: 'first' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<ApiMessage>()).toMatchObject({ id: message.id, content: 'first' });
    expect(edited.json<ApiMessage>().edited_at).not.toBeNull();
    const notYours = await oldFetch(bob, 'PUT', `/api/chat/messages/${message.id}`, { content: 'mine now' });
    expect(notYours.statusCode).toBe(403);
  });

  it('gives the old admin page admin_count, active_users and new_users_today', async () => {
    // Counts of the whole place: an app of its own, with only these two people.
    await withTestApp(dialect, {}, async (own) => {
      const ann = await makeUser(own, { role: 'admin' });
      await makeUser(own);
      const stats = (await oldFetch(ann, 'GET', '/api/admin/stats')).json<AdminStats>();
      expect(stats.admin_count).toBe(stats.admins);
      expect(stats.admin_count).toBe(1);
      // Both signed up and were seen just now.
      expect(stats).toMatchObject({ total_users: 2, active_users: 2, new_users_today: 2 });
    });
  });
});
