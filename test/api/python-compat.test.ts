import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminStats } from '../../src/protocol/admin.js';
import type { ApiMessage } from '../../src/protocol/chat.js';
import { changeUser } from '../../src/server/admin/account.commands.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { registerUser, type TestUser } from '../helpers/users.js';

/**
 * The calls of the Python version's latest pages (ec06ceb), as they send them: every request
 * with `Content-Type: application/json`, reply ids as digit strings, edits with PUT.
 */
describe.each(testDialects())('the Python version’s pages on %s', (dialect) => {
  let t: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    ann = await registerUser(t.app, { username: 'ann_py' });
    bob = await registerUser(t.app, { username: 'bob_py' });
  });
  afterAll(() => t.close());

  /** `authFetch` of the old `auth.js`: Bearer and a JSON content type, body or not. */
  const oldFetch = (user: TestUser, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: object) =>
    t.app.inject({
      method,
      url,
      headers: { ...user.auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  const send = async (user: TestUser, body: object) => {
    const response = await oldFetch(user, 'POST', '/api/chat/messages', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<ApiMessage>();
  };

  it('takes an empty JSON body as no body on bodyless POST and DELETE', async () => {
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
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/chat/messages',
      headers: { ...ann.auth, 'content-type': 'application/json' },
      payload: '{"content": ',
    });
    expect(response.statusCode).toBe(400);
  });

  it('accepts reply_to_id as a digit string and quotes from the stored message, not the client', async () => {
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
    const message = await send(ann, { content: 'frist' });
    const edited = await oldFetch(ann, 'PUT', `/api/chat/messages/${message.id}`, { content: 'first' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<ApiMessage>()).toMatchObject({ id: message.id, content: 'first' });
    expect(edited.json<ApiMessage>().edited_at).not.toBeNull();
    const notYours = await oldFetch(bob, 'PUT', `/api/chat/messages/${message.id}`, { content: 'mine now' });
    expect(notYours.statusCode).toBe(403);
  });

  it('gives the old admin page admin_count, active_users and new_users_today', async () => {
    await changeUser(t.services, { kind: 'cli' }, ann.id, { role: 'admin' });
    const stats = (await oldFetch(ann, 'GET', '/api/admin/stats')).json<AdminStats>();
    expect(stats.admin_count).toBe(stats.admins);
    expect(stats.admin_count).toBeGreaterThanOrEqual(1);
    // Both signed up and were seen just now.
    expect(stats.active_users).toBeGreaterThanOrEqual(2);
    expect(stats.new_users_today).toBeGreaterThanOrEqual(2);
    expect(stats.active_users).toBeLessThanOrEqual(stats.total_users);
  });
});
