import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { httpError } from './errors.js';
import { bearerToken } from './session.js';

const UNSAFE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Whether an `Origin` is this site's own, `PUBLIC_URL`'s or one listed in `CORS_ORIGINS` (never `*`). */
export type OriginCheck = (request: FastifyRequest, origin: string) => boolean;

export function trustedOrigins(config: Config): OriginCheck {
  const listed = new Set(config.corsOrigins.filter((o) => o !== '*'));
  if (config.publicUrl !== null) listed.add(new URL(config.publicUrl).origin);
  return (request, origin) => listed.has(origin) || origin === ownOrigin(request);
}

/** The request's own scheme and host, as a browser writes it in `Origin` (no default port). */
function ownOrigin(request: FastifyRequest): string | undefined {
  const own = `${request.protocol}://${request.host}`;
  return URL.canParse(own) ? new URL(own).origin : undefined;
}

export const crossSiteRequest = () =>
  httpError('cross_site_request', 'This request came from another site and was refused');

/**
 * Cross-site request forgery: a browser attaches the cookie to a form or fetch from any page,
 * but it also says where that page is (`Origin`, `Sec-Fetch-Site`), and a page cannot forge
 * either. So every unsafe request must come from a trusted origin, unless it is authenticated by
 * a Bearer header (which no other site can make the browser send). A request with neither header
 * comes from no modern browser: it may pass only without the session cookie (an API client
 * signing in), so sign-in, registration and logout are covered too (login CSRF).
 */
export function registerCsrfCheck(app: FastifyInstance, config: Config, cookieName: string): void {
  const isTrusted = trustedOrigins(config);
  app.addHook('onRequest', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || bearerToken(request) !== null) return;
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    if (origin !== undefined && isTrusted(request, origin)) return;
    if (fetchSite === 'same-origin') return;
    if (origin === undefined && fetchSite === undefined && request.cookies[cookieName] === undefined) return;
    throw crossSiteRequest();
  });
}
