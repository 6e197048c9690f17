import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUsersCommand } from '../../src/server/cli.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { resetLinkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { registerUser } from '../helpers/users.js';

const PUBLIC_URL = 'https://chat.example.org';

describe.each(testDialects())('password recovery on %s', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let now = Date.now();
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(dialect, {
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'CodeChicks <noreply@chat.example.org>', PUBLIC_URL },
      clock: { now: () => now },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const forgot = (email: string) => t.app.inject({ method: 'POST', url: '/auth/forgot', payload: { email } });
  const reset = (token: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/auth/reset', payload: { token, new_password: password } });
  const tokenOf = (link: string) => link.split('#token=')[1] ?? '';
  const mailFor = async (email: string, count: number) => {
    await expect.poll(() => smtp.mailsTo(email).length, { timeout: 15_000 }).toBe(count);
    return smtp.mailsTo(email)[count - 1]!;
  };

  it('mails a single-use link that sets the password, revokes old sessions and signs this browser in', async () => {
    const u = await registerUser(t.app);
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
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: u.auth })).statusCode).toBe(401);
    const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${newToken}` } });
    expect(me.json().email).toBe(u.email);
    const login = (password: string) =>
      t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: u.email, password } });
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
    const u = await registerUser(t.app);
    await forgot(u.email);
    const link = resetLinkIn(await mailFor(u.email, 1));
    now += 30 * 60_000 + 1;
    const late = await reset(tokenOf(link), 'too late for this');
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('invalid_reset_link');
    expect((await reset('not-a-token-at-all', 'whatever it is')).statusCode).toBe(400);
  });

  it('answers an unknown email exactly as a known one, and mails nothing', async () => {
    const u = await registerUser(t.app);
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
    const u = await registerUser(t.app);
    const change = (body: object, auth = u.auth) =>
      t.app.inject({ method: 'POST', url: '/api/profile/password', headers: auth, payload: body });
    const refused = await change({ new_password: 'no current given' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('current_password_required');

    await t.database.db.updateTable('users').set({ password_hash: null }).where('id', '=', u.id).execute();
    const set = await change({ new_password: 'my first password' });
    expect(set.statusCode, set.body).toBe(200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: `Bearer ${set.json().access_token}` },
    });
    expect(me.json().has_password).toBe(true);
  });

  it('prints a link with npm run users -- reset-link, which works like a mailed one', async () => {
    const u = await registerUser(t.app);
    const line = await runUsersCommand(t.services, ['reset-link', u.email]);
    const link = /https:\/\/\S+/.exec(line)?.[0] ?? '';
    expect(link.startsWith(`${PUBLIC_URL}/reset#token=`)).toBe(true);
    expect((await reset(tokenOf(link), 'handed over by hand')).statusCode).toBe(200);
  });

  it('limits requests per account', async () => {
    const limited = await createTestApp(dialect, { env: { SMTP_URL: smtp.url, RATE_LIMIT_FACTOR: '1' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/auth/forgot',
          payload: { email: 'someone@example.com' },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('password recovery without SMTP', () => {
  it('is not there in production (404), and logs the link instead of mailing it in development', async () => {
    const production = await createTestApp('sqlite', { env: { NODE_ENV: 'production' } });
    try {
      expect((await production.app.inject({ method: 'GET', url: '/auth/forgot' })).statusCode).toBe(404);
      const post = await production.app.inject({ method: 'POST', url: '/auth/forgot', payload: { email: 'a@b.co' } });
      expect(post.statusCode).toBe(404);
    } finally {
      await production.close();
    }
    const development = await createTestApp('sqlite');
    try {
      expect((await development.app.inject({ method: 'GET', url: '/auth/forgot' })).json()).toEqual({
        available: true,
      });
    } finally {
      await development.close();
    }
  });
});
