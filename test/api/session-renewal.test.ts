import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword, renewToken, resolveSession, revokeAllSessions } from '../../src/server/auth/auth.service.js';
import { createTokenService } from '../../src/server/auth/tokens.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { as } from '../helpers/client.js';
import { makeUser, type TestUser } from '../helpers/users.js';

/**
 * Silent renewal runs after the session was verified. Whatever revokes the session in between
 * (logout everywhere, a password change) must win: the renewed token carries the version that was
 * verified, so it is as dead as the one it replaces.
 */
describe.each(testDialects())('silent renewal racing a revocation on %s', (dialect) => {
  let t: TestApp;
  let ctx: Parameters<typeof changePassword>[0];
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const { secretKey, algorithm, accessTokenExpireMinutes } = t.config;
    const tokens = createTokenService(secretKey, algorithm, accessTokenExpireMinutes, () => t.services.clock.now());
    ctx = { ...t.services, tokens };
  });
  afterAll(() => t.close());

  // The page's call, riding `token` as its session cookie.
  const meWithCookie = (u: TestUser, token: string) => as({ ...u, token }, 'cookie').get('/auth/me');

  it('does not revive a session ended by logout-all between verification and renewal', async () => {
    const u = await makeUser(t);
    const verified = await resolveSession(ctx, u.token);
    await revokeAllSessions(ctx, u.id);
    const renewed = await renewToken(ctx, verified);
    expect((await meWithCookie(u, renewed)).statusCode).toBe(401);
  });

  it('does not revive a session ended by a password change between verification and renewal', async () => {
    const u = await makeUser(t);
    const verified = await resolveSession(ctx, u.token);
    const fresh = await changePassword(ctx, u.id, u.password, 'a-brand-new-password');
    const renewed = await renewToken(ctx, verified);
    expect((await meWithCookie(u, renewed)).statusCode).toBe(401);
    expect((await meWithCookie(u, fresh)).statusCode).toBe(200);
  });
});
