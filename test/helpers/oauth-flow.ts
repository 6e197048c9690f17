import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/server/app.js';
import { FLOW_COOKIE } from '../../src/server/oauth/flow-cookie.js';

/** The public address the test apps pretend to be at; callbacks to it are injected into the app. */
export const TEST_PUBLIC_URL = 'http://codechicks.test';

/** Follows a provider's redirects (keeping its cookies) until it sends the browser back to the app. */
export async function visitProvider(authorizeUrl: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(authorizeUrl);
  const providerOrigin = url.origin;
  for (let hop = 0; hop < 20; hop++) {
    if (url.origin !== providerOrigin) return url;
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (location === null) throw new Error(`the provider answered ${response.status}: ${await response.text()}`);
    url = new URL(location, url);
  }
  throw new Error('too many redirects at the provider');
}

export interface StartedFlow {
  /** The provider's authorization URL the app redirected to. */
  authorizeUrl: string;
  /** The signed flow cookie the app set (state, PKCE verifier, nonce). */
  flowCookie: string;
}

export async function startSignIn(app: App, provider: string, query = ''): Promise<StartedFlow> {
  const response = await app.inject({ method: 'GET', url: `/auth/${provider}/login${query}` });
  if (response.statusCode !== 302) throw new Error(`login answered ${response.statusCode}: ${response.body}`);
  return { authorizeUrl: String(response.headers.location), flowCookie: cookieOf(response, FLOW_COOKIE) ?? '' };
}

/** The app's answer to the provider's callback, as the browser holding `cookies` would get it. */
export function callback(app: App, url: URL, cookies: Record<string, string>): Promise<LightMyRequestResponse> {
  if (url.origin !== TEST_PUBLIC_URL) throw new Error(`the provider sent the browser to ${url.href}`);
  return app.inject({ method: 'GET', url: url.pathname + url.search, cookies });
}

/** Start → provider → callback, as one browser. */
export async function signInVia(
  app: App,
  provider: string,
  cookies: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const flow = await startSignIn(app, provider);
  const back = await visitProvider(flow.authorizeUrl);
  return callback(app, back, { ...cookies, [FLOW_COOKIE]: flow.flowCookie });
}

export function cookieOf(response: LightMyRequestResponse, name: string): string | undefined {
  return response.cookies.find((c) => c.name === name && c.value !== '')?.value;
}
