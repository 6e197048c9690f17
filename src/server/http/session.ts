import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { renewToken, resolveSession, type SessionUser } from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import type { Actor } from '../moderation/audit.service.js';
import { AppError, forbidden, notAuthenticated } from './errors.js';

export const SESSION_COOKIE = 'codechicks_session';

/**
 * In production the cookie is `__Host-`-prefixed: browsers then take it only from a secure
 * origin, with `Path=/` and no `Domain`, so a sibling subdomain cannot plant or shadow it.
 */
export function sessionCookieName(production: boolean): string {
  return production ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireUser`; routes behind it may rely on it. */
    sessionUser: SessionUser | null;
  }
  interface FastifyInstance {
    requireUser: onRequestAsyncHookHandler;
    requireAdmin: onRequestAsyncHookHandler;
    setSessionCookie(reply: FastifyReply, token: string): void;
    clearSessionCookie(reply: FastifyReply): void;
    /** The signed-in user of a page request, or null; never throws for a bad session. */
    optionalUser(request: FastifyRequest): Promise<SessionUser | null>;
  }
}

type Presented = { token: string; viaCookie: boolean } | undefined;

/** `Authorization: Bearer <token>`, or null when the header is absent or of another scheme. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined || !/^Bearer(\s|$)/i.test(header)) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) throw notAuthenticated();
  return match[1];
}

/**
 * The token a request presents: `Authorization: Bearer`, else the session cookie. Another
 * scheme (a proxy's `Basic` credentials) is not ours: it neither signs in nor hides the cookie.
 */
function presentedToken(request: FastifyRequest, cookieName: string): Presented {
  const bearer = bearerToken(request);
  if (bearer !== null) return { token: bearer, viaCookie: false };
  const cookie = request.cookies[cookieName];
  return cookie ? { token: cookie, viaCookie: true } : undefined;
}

export function user(request: FastifyRequest): SessionUser {
  if (request.sessionUser === null) throw notAuthenticated();
  return request.sessionUser;
}

/** The signed-in admin of a request as the audit log names them, with the request's address. */
export function adminActor(request: FastifyRequest): Actor {
  return { kind: 'admin', id: user(request).id, address: request.ip };
}

export const sessionPlugin = fp<{ deps: AppContext }>(async (app: FastifyInstance, { deps }) => {
  const cookieName = sessionCookieName(deps.config.production);
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.production,
    path: '/',
  };

  app.decorateRequest('sessionUser', null);
  app.decorate('setSessionCookie', (reply: FastifyReply, token: string) => {
    reply.setCookie(cookieName, token, { ...cookieOptions, maxAge: deps.tokens.lifetimeSeconds });
  });
  app.decorate('clearSessionCookie', (reply: FastifyReply) => {
    reply.clearCookie(cookieName, cookieOptions);
  });

  app.decorate('requireUser', async function (request: FastifyRequest, reply: FastifyReply) {
    const presented = presentedToken(request, cookieName);
    if (presented === undefined) throw notAuthenticated();
    const sessionUser = await resolveSession(deps, presented.token);
    request.sessionUser = sessionUser;
    // Renew a browser session silently once half of its life has passed.
    const age = deps.clock.now() / 1000 - sessionUser.tokenIssuedAt;
    if (presented.viaCookie && age > deps.tokens.lifetimeSeconds / 2) {
      app.setSessionCookie(reply, await renewToken(deps, sessionUser));
    }
  });

  app.decorate('requireAdmin', async function (request: FastifyRequest, reply: FastifyReply) {
    await app.requireUser.call(app, request, reply);
    if (user(request).role !== 'admin') throw forbidden('Administrators only');
  });

  app.decorate('optionalUser', async (request: FastifyRequest) => {
    try {
      const presented = presentedToken(request, cookieName);
      return presented === undefined ? null : await resolveSession(deps, presented.token);
    } catch (error) {
      if (error instanceof AppError && error.status === 401) return null;
      throw error;
    }
  });
});
