import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword, renewToken, resolveSession, revokeAllSessions } from '../../src/server/auth/auth.service.js';
import { createTokenService } from '../../src/server/auth/tokens.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { registerUser } from '../helpers/users.js';

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

  const meWithCookie = (token: string) =>
    t.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: `codechicks_session=${token}` } });

  it('does not revive a session ended by logout-all between verification and renewal', async () => {
    const u = await registerUser(t.app);
    const verified = await resolveSession(ctx, u.token);
    await revokeAllSessions(ctx, u.id);
    const renewed = await renewToken(ctx, verified);
    expect((await meWithCookie(renewed)).statusCode).toBe(401);
  });

  it('does not revive a session ended by a password change between verification and renewal', async () => {
    const u = await registerUser(t.app);
    const verified = await resolveSession(ctx, u.token);
    const fresh = await changePassword(ctx, u.id, u.password, 'a-brand-new-password');
    const renewed = await renewToken(ctx, verified);
    expect((await meWithCookie(renewed)).statusCode).toBe(401);
    expect((await meWithCookie(fresh)).statusCode).toBe(200);
  });
});
