import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/chat.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { makeUser } from '../helpers/users.js';

const MIN = 60_000;

describe.each(testDialects())('work a signed-in user can ask for is bounded, on %s', (dialect) => {
  let t: TestApp;
  const clock = testClock(Date.UTC(2026, 5, 1, 9, 0));
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      clock,
      env: { RATE_LIMIT_FACTOR: '1', ACCESS_TOKEN_EXPIRE_MINUTES: '43200' },
    });
  });
  afterAll(() => t.close());

  it('answers a page deeper than 10,000 messages with 400 page_too_deep, pointing to before=', async () => {
    const u = await makeUser(t);
    expect((await as(u).get('/api/chat/messages?page=100&page_size=100')).statusCode).toBe(200);
    const deep = await as(u).get('/api/chat/messages?page=101&page_size=100');
    expect(deep.statusCode).toBe(400);
    expect(deep.json().code).toBe('page_too_deep');
    expect(deep.json().detail).toContain('before=');
    expect((await as(u).get('/api/chat/messages?page=10001&page_size=1')).statusCode).toBe(400);
    expect((await as(u).get('/api/chat/messages?before=5&page=101&page_size=100')).statusCode).toBe(200);
  });

  it('limits timer changes to 30 a minute per user, with 429 and Retry-After', async () => {
    const u = await makeUser(t);
    const other = await makeUser(t);
    for (let i = 0; i < 30; i++) {
      const r = await as(u).post(i % 2 === 0 ? '/api/timer/start' : '/api/timer/pause');
      expect(r.statusCode).toBe(200);
    }
    const refused = await as(u).post('/api/timer/start');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await as(u).post('/api/stop')).statusCode).toBe(429);
    expect((await as(other).post('/api/timer/start')).statusCode).toBe(200);
    expect((await as(u).get('/api/timer')).statusCode).toBe(200);
    clock.advance(MIN);
    expect((await as(u).post('/api/timer/reset')).statusCode).toBe(200);
  });

  it('limits message edits to 20 a minute per user, with 429 and Retry-After', async () => {
    const u = await makeUser(t);
    const sent = await as(u).post('/api/chat/messages', { content: 'first draft' });
    const id = sent.json<Message>().id;
    for (let i = 0; i < 20; i++) {
      expect((await as(u).patch(`/api/chat/messages/${id}`, { content: `draft ${i}` })).statusCode).toBe(200);
    }
    const refused = await as(u).patch(`/api/chat/messages/${id}`, { content: 'one more' });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await as(u).get(`/api/chat/messages/${id}`)).json<Message>().content).toBe('draft 19');
  });

  it('keeps every CSV value that a spreadsheet would run as a formula as text', async () => {
    const u = await makeUser(t);
    const labels = ['-1+HYPERLINK("http://evil.example")', '+1+1', '@SUM(A1:A9)', '=1+1', '\tx', '\rx', '-'];
    await t.database.db
      .insertInto('focus_sessions')
      .values(
        labels.map((label, i) => ({
          user_id: u.id,
          started_at: clock.now() + i * MIN,
          ended_at: clock.now() + i * MIN + 1000,
          duration_ms: 1000,
          label,
        })),
      )
      .execute();
    const csv = (await as(u).get('/api/timer/sessions.csv')).body;
    const lastFields = csv
      .split(/\r\n(?=\d)/)
      .slice(1)
      .map((line) => line.slice(line.lastIndexOf(',1,') + 3).replace(/\r\n$/, ''));
    expect(lastFields).toEqual([
      `"'-1+HYPERLINK(""http://evil.example"")"`,
      `'+1+1`,
      `'@SUM(A1:A9)`,
      `'=1+1`,
      `'\tx`,
      `"'\rx"`,
      `'-`,
    ]);
  });

  it('streams the CSV of a long history page by page, in the order the runs were recorded', async () => {
    const u = await makeUser(t);
    const runs = Array.from({ length: 1_203 }, (_, i) => ({
      user_id: u.id,
      // Recorded out of start order: the export follows the order of recording (ids).
      started_at: clock.now() - (i % 7) * 3_600_000,
      ended_at: clock.now() - (i % 7) * 3_600_000 + 60_000,
      duration_ms: 60_000,
      label: `run ${i}`,
    }));
    for (let i = 0; i < runs.length; i += 400)
      await t.database.db
        .insertInto('focus_sessions')
        .values(runs.slice(i, i + 400))
        .execute();
    const base = await t.listen();
    const response = await fetch(`${base}/api/timer/sessions.csv`, { headers: u.auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const lines = (await response.text()).split('\r\n');
    expect(lines).toHaveLength(1 + 1_203 + 1);
    expect(lines.slice(1, -1).map((line) => line.slice(line.lastIndexOf(',') + 1))).toEqual(runs.map((r) => r.label));
    const ids = lines.slice(1, -1).map((line) => Number(line.split(',')[0]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});
