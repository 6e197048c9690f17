import { SESSION_COOKIE } from '../../src/server/http/session.js';

/** `app.inject`'s own origin (its requests go to `localhost:80`). */
export const INJECT_ORIGIN = 'http://localhost';

/** What a browser sends with a fetch or form from one of the site's own pages. */
export function sameSiteHeaders(origin: string = INJECT_ORIGIN): Record<string, string> {
  return { origin, 'sec-fetch-site': 'same-origin' };
}

/** A browser's request riding the session cookie, from one of the site's own pages. */
export function cookieHeaders(token: string, origin: string = INJECT_ORIGIN): Record<string, string> {
  return { cookie: `${SESSION_COOKIE}=${token}`, ...sameSiteHeaders(origin) };
}
