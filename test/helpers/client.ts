import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/server/app.js';
import { cookieHeaders } from './same-site.js';
import type { TestUser } from './users.js';

/**
 * `app.inject`'s answer with its body typed: `json()` gives the type the call was made with (a
 * type from src/protocol), `json<ErrorBody>()` (src/protocol/errors.ts) reads a refusal. Untyped calls read the body as
 * untyped JSON, as the tests always have.
 */
export interface ApiResponse<T> extends Omit<LightMyRequestResponse, 'json'> {
  json<U = T>(): U;
}

/** Headers of one call, added to (and overriding) the client's own. */
export interface CallOptions {
  headers?: Record<string, string>;
}

// The body of an untyped call, as `app.inject`'s own `json()` gives it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

export type Method = 'GET' | 'DELETE' | 'POST' | 'PATCH' | 'PUT';

export interface ApiClient {
  /** Any method, for a table of routes. */
  request<T = Untyped>(method: Method, url: string, body?: unknown, options?: CallOptions): Promise<ApiResponse<T>>;
  get<T = Untyped>(url: string, options?: CallOptions): Promise<ApiResponse<T>>;
  delete<T = Untyped>(url: string, options?: CallOptions): Promise<ApiResponse<T>>;
  post<T = Untyped>(url: string, body?: unknown, options?: CallOptions): Promise<ApiResponse<T>>;
  patch<T = Untyped>(url: string, body?: unknown, options?: CallOptions): Promise<ApiResponse<T>>;
  put<T = Untyped>(url: string, body?: unknown, options?: CallOptions): Promise<ApiResponse<T>>;
}

/** How the client signs in: the `Authorization` header (API clients), or the page's cookie and same-site headers. */
export type Via = 'bearer' | 'cookie';

function clientOf(app: App, own: Record<string, string>): ApiClient {
  const call = async <T>(method: Method, url: string, body: unknown, options?: CallOptions) =>
    (await app.inject({
      method,
      url,
      headers: { ...own, ...options?.headers },
      ...(body === undefined ? {} : { payload: body as object }),
    })) as ApiResponse<T>;
  return {
    request: (method, url, body, options) => call(method, url, body, options),
    get: (url, options) => call('GET', url, undefined, options),
    delete: (url, options) => call('DELETE', url, undefined, options),
    post: (url, body, options) => call('POST', url, body, options),
    patch: (url, body, options) => call('PATCH', url, body, options),
    put: (url, body, options) => call('PUT', url, body, options),
  };
}

/** The one API client of the tests: calls `user`'s app signed in as `user`, JSON in and out. */
export function as(user: TestUser, via: Via = 'bearer'): ApiClient {
  return clientOf(user.app, via === 'bearer' ? user.auth : cookieHeaders(user.token));
}

/** The same client for someone not signed in. */
export function guest(app: App): ApiClient {
  return clientOf(app, {});
}
