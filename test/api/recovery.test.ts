import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUsersCommand } from '../../src/server/cli.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest } from '../helpers/client.js';
import { testClock } from '../helpers/clock.js';
import { testDialects } from '../helpers/database.js';
import { resetLinkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { makeUser, registerUser } from '../helpers/users.js';

const PUBLIC_URL = 'https://chat.example.org';

describe.each(testDialects())('password recovery on %s', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const clock = testClock(Date.now());
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(dialect, {
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'CodeChicks <noreply@chat.example.org>', PUBLIC_URL },
      clock,
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const forgot = (email: string) => guest(t.app).post('/auth/forgot', { email });
  const reset = (token: string, password: string) =>
    guest(t.app).post('/auth/reset', { token, new_password: password });
  const tokenOf = (link: string) => link.split('#token=')[1] ?? '';
  const mailFor = async (email: string, count: number) => {
    await expect.poll(() => smtp.mailsTo(email).length, { timeout: 15_000 }).toBe(count);
    return smtp.mailsTo(email)[count - 1]!;
  };

  it('mails a single-use link that sets the password, revokes old sessions and signs this browser in', async () => {
    const u = await makeUser(t);
    const answer = await forgot(u.email.toUpperCase());
    expect(answer.statusCode).toBe(202);
    const mail = await mailFor(u.email, 1);
    expect(mail.raw).toContain('Subject: Choose a new password for CodeChicks');
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    const link = resetLinkIn(mail);
    expect(link.startsWith(`${PUBLIC_URL}/reset#token=`)).toBe(true);
    const stored = await t.database.db.selectFrom('password_resets').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(tokenOf(link));

    const done = await reset(tokenOf(link), 'a brand new password');
    expect(done.statusCode, done.body).toBe(200);
    expect(String(done.headers['set-cookie'])).toMatch(/codechicks_session=/);
    const newToken = done.json<{ access_token: string }>().access_token;
    expect((await as(u).get('/auth/me')).statusCode).toBe(401);
    const me = await guest(t.app).get('/auth/me', { headers: { authorization: `Bearer ${newToken}` } });
    expect(me.json().email).toBe(u.email);
    const login = (password: string) => guest(t.app).post('/auth/login', { email: u.email, password });
    expect((await login('a brand new password')).statusCode).toBe(200);
    expect((await login(u.password)).statusCode).toBe(401);

    const again = await reset(tokenOf(link), 'yet another password');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({
      detail: 'This link was already used, has expired or is not valid: ask for a new one.',
      code: 'invalid_reset_link',
    });
  });

  it('expires a link after 30 minutes', async () => {
    const u = await makeUser(t);
    await forgot(u.email);
    const link = resetLinkIn(await mailFor(u.email, 1));
    clock.advance(30 * 60_000 + 1);
    const late = await reset(tokenOf(link), 'too late for this');
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('invalid_reset_link');
    expect((await reset('not-a-token-at-all', 'whatever it is')).statusCode).toBe(400);
  });

  it('answers an unknown email exactly as a known one, and mails nothing', async () => {
    const u = await makeUser(t);
    const known = await forgot(u.email);
    const unknown = await forgot('nobody-here@example.com');
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);
    await mailFor(u.email, 1);
    expect(smtp.mailsTo('nobody-here@example.com')).toEqual([]);
  });

  it('checks the new password against the rules', async () => {
    const short = await reset('whatever', 'short');
    expect(short.statusCode).toBe(422);
    expect(short.json().detail[0].loc).toEqual(['body', 'new_password']);
  });

  it('lets an account without a password set a first one, and only then without the current one', async () => {
    const u = await makeUser(t);
    const change = (body: object) => as(u).post('/api/profile/password', body);
    const refused = await change({ new_password: 'no current given' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('current_password_required');

    await t.database.db.updateTable('users').set({ password_hash: null }).where('id', '=', u.id).execute();
    const set = await change({ new_password: 'my first password' });
    expect(set.statusCode, set.body).toBe(200);
    const me = await guest(t.app).get('/auth/me', { headers: { authorization: `Bearer ${set.json().access_token}` } });
    expect(me.json().has_password).toBe(true);
  });

  it('prints a link with npm run users -- reset-link, which works like a mailed one', async () => {
    const u = await makeUser(t);
    const line = await runUsersCommand(t.services, ['reset-link', u.email]);
    const link = /https:\/\/\S+/.exec(line)?.[0] ?? '';
    expect(link.startsWith(`${PUBLIC_URL}/reset#token=`)).toBe(true);
    expect((await reset(tokenOf(link), 'handed over by hand')).statusCode).toBe(200);
  });
});

describe.each(testDialects())('password recovery limits on %s', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let now = Date.now();
  let known: Awaited<ReturnType<typeof registerUser>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(dialect, {
      env: { SMTP_URL: smtp.url, PUBLIC_URL, RATE_LIMIT_FACTOR: '1' },
      clock: { now: () => now },
    });
    known = await registerUser(t.app);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const forgot = (email: string, ip: string) =>
    t.app.inject({ method: 'POST', url: '/auth/forgot', payload: { email }, remoteAddress: ip });
  const reset = (token: string, ip: string, password = 'a password for the limits') =>
    t.app.inject({ method: 'POST', url: '/auth/reset', payload: { token, new_password: password }, remoteAddress: ip });
  const tokenOf = (link: string) => link.split('#token=')[1] ?? '';
  const handedLink = async (email: string) =>
    tokenOf(/https:\/\/\S+/.exec(await runUsersCommand(t.services, ['reset-link', email]))?.[0] ?? '');
  /** What a limited answer shows, without the seconds to wait (which tick on). */
  const shown = (r: { statusCode: number; body: string; headers: Record<string, unknown> }) => ({
    status: r.statusCode,
    body: r.body,
    waits: Number(r.headers['retry-after']) > 0,
  });

  it('limits /auth/forgot per address to 20 in 15 minutes, known email or not', async () => {
    const ip = '192.0.2.10';
    for (let i = 0; i < 20; i++) expect((await forgot(`someone-${i}@example.com`, ip)).statusCode).toBe(202);
    const limitedKnown = await forgot(known.email, ip);
    const limitedUnknown = await forgot('no-such-person@example.com', ip);
    expect(shown(limitedKnown)).toEqual({
      status: 429,
      body: expect.stringContaining('"code":"rate_limited"'),
      waits: true,
    });
    expect(shown(limitedUnknown)).toEqual(shown(limitedKnown));
    expect(smtp.mailsTo(known.email)).toEqual([]);
    // Another address is not held back.
    expect((await forgot('someone-else@example.com', '192.0.2.11')).statusCode).toBe(202);
  });

  it('limits /auth/forgot per account to 5 in 15 minutes from any addresses, with the same answer for an unknown email', async () => {
    const u = await registerUser(t.app);
    const ghost = 'ghost-of-nobody@example.com';
    const statuses = async (email: string, first: number) => {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await forgot(email, `198.51.100.${first + i}`));
      return answers;
    };
    const forKnown = await statuses(u.email.toUpperCase(), 0);
    const forUnknown = await statuses(ghost, 10);
    expect(forKnown.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202, 429]);
    expect(forUnknown.map(shown)).toEqual(forKnown.map(shown));
    await expect.poll(() => smtp.mailsTo(u.email).length, { timeout: 15_000 }).toBe(5);
    expect(smtp.mailsTo(ghost)).toEqual([]);
    now += 15 * 60_000;
    expect((await forgot(u.email, '198.51.100.20')).statusCode).toBe(202);
  });

  it('limits /auth/reset per address to 20 in 15 minutes: even a good link waits, and stays good', async () => {
    const ip = '203.0.113.30';
    for (let i = 0; i < 20; i++) expect((await reset(`guess-${i}`, ip)).statusCode).toBe(400);
    const u = await registerUser(t.app);
    const token = await handedLink(u.email);
    const limited = await reset(token, ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await reset(token, '203.0.113.31')).statusCode).toBe(200);
  });

  it('limits /auth/reset per account to 5 in 15 minutes, also from different addresses', async () => {
    const u = await registerUser(t.app);
    for (let i = 0; i < 5; i++) {
      const done = await reset(await handedLink(u.email), `203.0.113.${40 + i}`, `new password number ${i}`);
      expect(done.statusCode, done.body).toBe(200);
    }
    const token = await handedLink(u.email);
    const limited = await reset(token, '203.0.113.50');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    now += 15 * 60_000;
    expect((await reset(token, '203.0.113.51')).statusCode).toBe(200);
  });
});

describe('password recovery without SMTP', () => {
  it('is not there in production (404), and logs the link instead of mailing it in development', async () => {
    const production = await createTestApp('sqlite', { env: { NODE_ENV: 'production' } });
    try {
      expect((await guest(production.app).get('/auth/forgot')).statusCode).toBe(404);
      const post = await guest(production.app).post('/auth/forgot', { email: 'a@b.co' });
      expect(post.statusCode).toBe(404);
    } finally {
      await production.close();
    }
    const development = await createTestApp('sqlite');
    try {
      expect((await guest(development.app).get('/auth/forgot')).json()).toEqual({
        available: true,
      });
    } finally {
      await development.close();
    }
  });
});
