import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { as, guest } from '../helpers/client.js';
import { makeUser } from '../helpers/users.js';

describe.each(testDialects())('profiles on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('walks a new user through onboarding: status, complete, status', async () => {
    const u = await makeUser(t, { complete: false });
    expect((await as(u).get('/api/profile/status')).json()).toEqual({
      profile_complete: false,
      redirect_to: '/onboarding',
    });
    const done = await as(u).post('/api/profile/complete', {
      username: 'Onboarded_1',
      display_name: 'On Boarded',
      age: 30,
      bio: 'Writes Rust',
      timezone: 'Asia/Kolkata',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({
      message: 'Profile completed successfully!',
      profile_complete: true,
      redirect_to: '/dashboard',
    });
    expect((await as(u).get('/api/profile/status')).json()).toEqual({
      profile_complete: true,
      redirect_to: '/dashboard',
    });
    const profile = (await as(u).get('/api/profile')).json();
    expect(profile).toMatchObject({
      email: u.email,
      username: 'Onboarded_1',
      display_name: 'On Boarded',
      age: 30,
      bio: 'Writes Rust',
      avatar_url: null,
      timezone: 'Asia/Kolkata',
      profile_complete: true,
      // Off until the person turns it on.
      share_focus: false,
    });
    expect(profile.updated_at).toMatch(/Z$/);
  });

  it('never erases at /complete what it was not given', async () => {
    const u = await makeUser(t, { complete: false });
    await as(u).patch('/api/profile', { bio: 'kept bio', age: 40, display_name: 'Kept Name' });
    const done = await as(u).post('/api/profile/complete', { username: 'keeper_1', bio: null });
    expect(done.statusCode).toBe(200);
    expect((await as(u).get('/api/profile')).json()).toMatchObject({
      username: 'keeper_1',
      display_name: 'Kept Name',
      bio: 'kept bio',
      age: 40,
    });
  });

  it('PATCH changes only the keys present; null clears an optional field', async () => {
    const u = await makeUser(t);
    const first = await as(u).patch('/api/profile', {
      bio: 'hello',
      avatar_url: 'https://example.com/a.png',
      age: 25,
      share_focus: false,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      bio: 'hello',
      avatar_url: 'https://example.com/a.png',
      age: 25,
      share_focus: false,
    });
    const second = await as(u).patch('/api/profile', { bio: null, age: null });
    expect(second.json()).toMatchObject({
      bio: null,
      age: null,
      avatar_url: 'https://example.com/a.png',
      share_focus: false,
    });
    const username = second.json<{ username: string }>().username;
    const cleared = await as(u).patch('/api/profile', { username: null });
    expect(cleared.statusCode).toBe(422);
    expect((await as(u).get('/api/profile')).json<{ username: string }>().username).toBe(username);
  });

  it('rejects bad fields with a message per field and saves nothing', async () => {
    const u = await makeUser(t);
    const before = (await as(u).get('/api/profile')).json();
    const response = await as(u).patch('/api/profile', {
      username: 'no spaces!',
      display_name: '   ',
      age: 12,
      bio: 'b'.repeat(501),
      avatar_url: 'javascript:alert(1)',
    });
    expect(response.statusCode).toBe(422);
    const detail = response.json<{ detail: { loc: string[]; msg: string }[] }>().detail;
    expect(detail.map((d) => d.loc.join('.'))).toEqual(
      expect.arrayContaining(['body.username', 'body.display_name', 'body.age', 'body.bio', 'body.avatar_url']),
    );
    expect(detail.find((d) => d.loc[1] === 'username')?.msg).toBe('Must be 3–30 letters, digits or underscores');
    expect(detail.find((d) => d.loc[1] === 'age')?.msg).toBe('Must be 13 or more');
    expect((await as(u).get('/api/profile')).json()).toEqual(before);
  });

  it('accepts only IANA time zones', async () => {
    const u = await makeUser(t);
    const bad = await as(u).patch('/api/profile', { timezone: 'Mars/Olympus_Mons' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail[0]).toMatchObject({ loc: ['body', 'timezone'] });
    const good = await as(u).patch('/api/profile', { timezone: 'America/Los_Angeles' });
    expect(good.json()).toMatchObject({ timezone: 'America/Los_Angeles' });
  });

  it('keeps usernames unique ignoring case', async () => {
    const a = await makeUser(t, { username: 'CaseUser' });
    const b = await makeUser(t);
    const clash = await as(b).patch('/api/profile', { username: 'caseuser' });
    expect(clash.statusCode).toBe(400);
    expect(clash.json()).toEqual({ detail: 'Username already taken', code: 'username_taken' });
    const own = await as(a).patch('/api/profile', { username: 'CASEUSER' });
    expect(own.statusCode).toBe(200);
  });

  it('lets exactly one of 20 parallel claims of one username succeed', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => makeUser(t, { complete: false })));
    const responses = await Promise.all(users.map((u) => as(u).post('/api/profile/complete', { username: 'the_one' })));
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const losers = responses.filter((r) => r.statusCode !== 200);
    expect(losers).toHaveLength(19);
    for (const r of losers) expect(r.json()).toEqual({ detail: 'Username already taken', code: 'username_taken' });
  });

  it('lets any number of users have no username', async () => {
    const nameless = async () =>
      (await t.database.db.selectFrom('users').select('id').where('username', 'is', null).execute()).length;
    const before = await nameless();
    const users = await Promise.all(Array.from({ length: 3 }, () => makeUser(t, { complete: false })));
    for (const u of users) {
      await t.database.db.updateTable('users').set({ username: null }).where('id', '=', u.id).execute();
    }
    expect(await nameless()).toBe(before + 3);
    const another = await makeUser(t, { complete: false });
    await t.database.db.updateTable('users').set({ username: null }).where('id', '=', another.id).execute();
    expect((await as(another).get('/api/profile')).json()).toMatchObject({ username: null });
  });

  it('changes the password: wrong current 400, same 400, then old sessions die and this one is renewed', async () => {
    const u = await makeUser(t, { password: 'old-password-1' });
    const otherSession = await guest(t.app).post<{ access_token: string }>('/auth/login', {
      email: u.email,
      password: u.password,
    });
    const otherAuth = { authorization: `Bearer ${otherSession.json().access_token}` };

    const wrong = await as(u).post('/api/profile/password', {
      current_password: 'nope-nope',
      new_password: 'new-password-1',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({ detail: 'Current password is incorrect', code: 'incorrect_password' });
    const same = await as(u).post('/api/profile/password', {
      current_password: u.password,
      new_password: u.password,
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().code).toBe('password_unchanged');
    const short = await as(u).post('/api/profile/password', {
      current_password: u.password,
      new_password: 'short',
    });
    expect(short.statusCode).toBe(422);

    const changed = await as(u).post('/api/profile/password', {
      current_password: u.password,
      new_password: 'new-password-1',
    });
    expect(changed.statusCode).toBe(200);
    const renewed = { authorization: `Bearer ${changed.json<{ access_token: string }>().access_token}` };
    expect(changed.cookies.find((c) => c.name === 'codechicks_session')?.value).toBeTruthy();

    for (const old of [u.auth, otherAuth]) {
      expect((await guest(t.app).get('/auth/me', { headers: old })).statusCode).toBe(401);
    }
    expect((await guest(t.app).get('/auth/me', { headers: renewed })).statusCode).toBe(200);
    const oldLogin = await guest(t.app).post('/auth/login', { email: u.email, password: 'old-password-1' });
    expect(oldLogin.statusCode).toBe(401);
    const newLogin = await guest(t.app).post('/auth/login', { email: u.email, password: 'new-password-1' });
    expect(newLogin.statusCode).toBe(200);
  });

  it('stores a time zone in its one canonical spelling, however it was typed', async () => {
    const u = await makeUser(t, { complete: false });
    for (const typed of ['aMeRiCa/NeW_yOrK', 'america/new_york', 'AMERICA/NEW_YORK', 'US/Eastern']) {
      const patched = await as(u).patch('/api/profile', { timezone: typed });
      expect(patched.json(), typed).toMatchObject({ timezone: 'America/New_York' });
    }
    expect((await as(u).patch('/api/profile', { timezone: 'asia/calcutta' })).json()).toMatchObject({
      timezone: 'Asia/Kolkata',
    });
    const done = await as(u).post('/api/profile/complete', { username: 'zoned_1', timezone: 'eUrOpE/bErLiN' });
    expect(done.statusCode).toBe(200);
    expect((await as(u).get('/api/profile')).json()).toMatchObject({ timezone: 'Europe/Berlin' });
    const stored = await t.database.db
      .selectFrom('users')
      .select('timezone')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(stored.timezone).toBe('Europe/Berlin');
  });

  it('keeps focus sharing off for a new account until onboarding or settings turn it on', async () => {
    const quiet = await makeUser(t);
    expect((await as(quiet).get('/api/profile')).json()).toMatchObject({ share_focus: false });
    const sharing = await makeUser(t, { complete: false });
    const done = await as(sharing).post('/api/profile/complete', { username: 'sharer_1', share_focus: true });
    expect(done.statusCode).toBe(200);
    expect((await as(sharing).get('/api/profile')).json()).toMatchObject({ share_focus: true });
    // /complete without the key leaves the choice as it was.
    await as(sharing).post('/api/profile/complete', { username: 'sharer_1' });
    expect((await as(sharing).get('/api/profile')).json()).toMatchObject({ share_focus: true });
  });

  it('requires a session for every profile route', async () => {
    for (const [method, url] of [
      ['GET', '/api/profile'],
      ['PATCH', '/api/profile'],
      ['POST', '/api/profile/complete'],
      ['GET', '/api/profile/status'],
      ['POST', '/api/profile/password'],
    ] as const) {
      const response = await guest(t.app).request(method, url, {});
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
