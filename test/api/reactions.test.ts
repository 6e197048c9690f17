import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/chat.js';
import { MAX_EMOJI_PER_MESSAGE, MAX_REACTIONS_PER_PERSON } from '../../src/protocol/reactions.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { fakeClock, testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';
import { makeUser, type TestUser } from '../helpers/users.js';

const EMOJI = [...'😀😃😄😁😆😅😂🤣😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛'];

describe.each(testDialects())('reactions on %s', (dialect) => {
  let t: TestApp;
  let base: string;
  const clock = testClock(Date.now());
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    base = await t.listen();
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await t.close();
  });

  const post = async (user: TestUser, content = 'react to me') =>
    (await as(user).post('/api/chat/messages', { content })).json<Message>();
  const react = (user: TestUser, id: number, emoji: string) => {
    clock.advance(1_000); // past the toggle limits of this suite
    return as(user).post(`/api/chat/messages/${id}/reactions`, { emoji });
  };

  it('accepts one real emoji only', async () => {
    const u = await makeUser(t);
    const message = await post(u);
    for (const emoji of ['👩🏽‍💻', '🇩🇪', '❤️']) expect((await react(u, message.id, emoji)).statusCode, emoji).toBe(200);
    for (const bad of ['a', 'ok', '👍👍', '<script>', '\u200d', '👍\u202e', '1', 'xxxxxxxxxxxxxxxx', '']) {
      const response = await react(u, message.id, bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(422);
      expect(response.json().code).toBe('validation_failed');
    }
  });

  it(`caps a message at ${MAX_EMOJI_PER_MESSAGE} distinct emoji and a person at ${MAX_REACTIONS_PER_PERSON}`, async () => {
    const author = await makeUser(t);
    const people = [await makeUser(t), await makeUser(t), await makeUser(t)];
    const message = await post(author);
    const mine = EMOJI.slice(0, MAX_REACTIONS_PER_PERSON);
    for (const emoji of mine) expect((await react(people[0]!, message.id, emoji)).statusCode).toBe(200);
    const eleventh = await react(people[0]!, message.id, EMOJI[MAX_REACTIONS_PER_PERSON]!);
    expect(eleventh.statusCode).toBe(409);
    expect(eleventh.json()).toEqual({
      detail: `You can leave at most ${MAX_REACTIONS_PER_PERSON} reactions on one message`,
      code: 'too_many_reactions',
    });
    // Taking one back makes room again.
    expect((await react(people[0]!, message.id, mine[0]!)).statusCode).toBe(200);
    expect((await react(people[0]!, message.id, mine[0]!)).statusCode).toBe(200);

    for (const emoji of EMOJI.slice(MAX_REACTIONS_PER_PERSON, MAX_EMOJI_PER_MESSAGE)) {
      expect((await react(people[1]!, message.id, emoji)).statusCode).toBe(200);
    }
    const full = await react(people[2]!, message.id, EMOJI[MAX_EMOJI_PER_MESSAGE]!);
    expect(full.statusCode).toBe(409);
    expect(full.json().detail).toBe(`A message can carry at most ${MAX_EMOJI_PER_MESSAGE} different emoji`);
    // An emoji already there may still be added by someone else.
    const joined = await react(people[2]!, message.id, EMOJI[0]!);
    expect(joined.statusCode).toBe(200);
    expect(joined.json()).toHaveLength(MAX_EMOJI_PER_MESSAGE);
    expect(joined.json()).toContainEqual({ emoji: EMOJI[0], count: 2, me: true });
  });

  it('broadcasts counts without user ids; each client knows its own', async () => {
    const ann = await makeUser(t);
    const bob = await makeUser(t);
    const annSocket = await openSocket(base, { token: ann.token });
    const bobSocket = await openSocket(base, { token: bob.token });
    sockets.push(annSocket, bobSocket);
    await Promise.all([annSocket.next('hello'), bobSocket.next('hello')]);
    const message = await post(ann);

    expect((await react(ann, message.id, '👍')).json()).toEqual([{ emoji: '👍', count: 1, me: true }]);
    const event = await bobSocket.next('reactions.updated', (e) => e.id === message.id);
    expect(event).toEqual({
      type: 'reactions.updated',
      id: message.id,
      reactions: [{ emoji: '👍', count: 1 }],
      actor_id: ann.id,
      emoji: '👍',
      added: true,
    });
    await react(bob, message.id, '👍');
    await react(bob, message.id, '🎉');
    await annSocket.next('reactions.updated', (e) => e.id === message.id && e.emoji === '🎉');
    await bobSocket.next('reactions.updated', (e) => e.id === message.id && e.emoji === '🎉');
    expect(annSocket.reactions.get(message.id)).toEqual([
      { emoji: '👍', count: 2, me: true },
      { emoji: '🎉', count: 1, me: false },
    ]);
    expect(bobSocket.reactions.get(message.id)).toEqual([
      { emoji: '👍', count: 2, me: true },
      { emoji: '🎉', count: 1, me: true },
    ]);
  });
});

describe.each(testDialects())('reaction limits on %s', (dialect) => {
  it('allows 10 toggles in 5 s per person, then 429 with Retry-After', async () => {
    const clock = fakeClock(Date.now());
    const t = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1' }, clock });
    try {
      const u = await makeUser(t);
      const sent = await as(u).post('/api/chat/messages', { content: 'spin me' });
      const toggle = () => as(u).post(`/api/chat/messages/${sent.json<Message>().id}/reactions`, { emoji: '🔁' });
      for (let i = 0; i < 10; i += 1) expect((await toggle()).statusCode).toBe(200);
      const limited = await toggle();
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      clock.advance(5_001);
      expect((await toggle()).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
