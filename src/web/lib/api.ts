import type { ErrorBody, ErrorCode, ValidationIssue } from '../../protocol/errors.js';

/** How long a call may take before the page says so instead of spinning forever. */
const TIMEOUT_MS = 15_000;

const FIELD_LABELS: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  username: 'Username',
  display_name: 'Display name',
  age: 'Age',
  bio: 'Bio',
  avatar_url: 'Avatar URL',
  timezone: 'Time zone',
  share_focus: 'Focus sharing',
  leaderboard: 'Leaderboard',
  quiet_while_focusing: 'Quiet while focusing',
  current_password: 'Current password',
  new_password: 'New password',
};

/** Errors that are about one field, so the form can show them next to it. */
const FIELD_OF_CODE: Record<string, string> = {
  email_taken: 'email',
  username_taken: 'username',
  incorrect_password: 'current_password',
  password_unchanged: 'new_password',
};

/**
 * The page's own codes, for failures the server did not name: no answer in time, no answer at all,
 * or an answer without a code (a proxy's).
 */
type PageErrorCode = 'timeout' | 'network_error' | 'http_error';

/** A failed call, with a sentence a person can read and, for 422s, one message per field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | PageErrorCode,
    message: string,
    /** Field name (e.g. `password`) → what is wrong with it. */
    readonly fieldErrors: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The readable text of anything a call or a handler may throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}

export function fieldLabel(name: string): string {
  const known = FIELD_LABELS[name];
  if (known !== undefined) return known;
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `{loc: ['body', 'password'], msg}` → field `password`; `['body']` → no field. */
function fieldOf(issue: ValidationIssue): string | undefined {
  const names = issue.loc.filter((part): part is string => typeof part === 'string');
  const last = names[names.length - 1];
  return last === undefined || ['body', 'query', 'path', 'header'].includes(last) ? undefined : last;
}

/** Turns an error answer (`{detail, code}`, or something a proxy sent) into an ApiError. */
export function toApiError(status: number, statusText: string, payload: unknown): ApiError {
  const body = payload as Partial<ErrorBody> | null;
  const code = typeof body?.code === 'string' ? body.code : 'http_error';
  const detail = body?.detail;
  if (Array.isArray(detail)) {
    const fieldErrors: Record<string, string> = {};
    const lines = detail.map((issue) => {
      const msg = typeof issue?.msg === 'string' ? issue.msg : 'Invalid value';
      const field = issue && Array.isArray(issue.loc) ? fieldOf(issue) : undefined;
      if (field === undefined) return msg;
      fieldErrors[field] ??= msg;
      return `${fieldLabel(field)}: ${msg}`;
    });
    const message = lines.length > 0 ? [...new Set(lines)].join('\n') : 'Some fields are not valid.';
    return new ApiError(status, code, message, fieldErrors);
  }
  if (typeof detail === 'string' && detail.trim() !== '') {
    const field = FIELD_OF_CODE[code];
    return new ApiError(status, code, detail, field === undefined ? {} : { [field]: detail });
  }
  const reason = statusText ? ` (${statusText})` : '';
  return new ApiError(status, code, `The server answered ${status}${reason}. Please try again.`);
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function loginUrlForHere(): string {
  return `/?next=${encodeURIComponent(location.pathname + location.search)}`;
}

let leaving = false;

/**
 * Leaves the page for `url`. Only the first departure counts: a second `location.assign` (say, a
 * socket closed by the logout this page just made) would cancel the first on its way.
 */
export function leaveTo(url: string): void {
  if (leaving) return;
  leaving = true;
  location.assign(url);
}

/** Sends the browser to sign in, then back here; several calls refused at once leave once. */
export function goToSignIn(): void {
  leaveTo(loginUrlForHere());
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** `redirect`: a 401 whose session really ended (`sessionEnded`) goes to sign in, then comes back here. */
export type OnUnauthorized = 'redirect' | 'throw';

/** A 401 is asked again after this long before the page goes to sign in. */
const SESSION_RECHECK_MS = 1_000;

/** Calls of this page still waiting for their answer; one of them may be renewing the session cookie. */
const inFlight = new Set<Promise<unknown>>();

/**
 * Whether a 401 (or a socket closed with 1008) means this browser's session really ended. A
 * password change ends the old session before its answer brings the renewed cookie, so a call or
 * socket of the old cookie can be refused in between: wait for this page's own calls, then ask
 * twice, a second apart (another tab of this browser may be the one renewing it). An unreachable
 * server cannot say the session ended.
 */
export async function sessionEnded(): Promise<boolean> {
  await Promise.allSettled([...inFlight]);
  if (await sessionLives()) return false;
  await new Promise((resolve) => setTimeout(resolve, SESSION_RECHECK_MS));
  return !(await sessionLives());
}

async function sessionLives(): Promise<boolean> {
  const response = await fetch('/auth/me', { credentials: 'same-origin' }).catch(() => undefined);
  return response?.status !== 401;
}

async function request<T>(
  method: Method,
  url: string,
  body: unknown,
  onUnauthorized: OnUnauthorized,
  extraHeaders: ExtraHeaders = {},
): Promise<T> {
  const call = send<T>(method, url, body, extraHeaders);
  inFlight.add(call);
  try {
    return await call;
  } catch (error) {
    const refused = error instanceof ApiError && error.status === 401;
    if (!refused || onUnauthorized === 'throw') throw error;
    inFlight.delete(call);
    if (await sessionEnded()) {
      goToSignIn();
      throw new ApiError(401, 'not_authenticated', 'Your session has ended. Taking you to the sign-in page…');
    }
    // Refused with a cookie that was being renewed: nothing was done, so ask once more.
    return send<T>(method, url, body, extraHeaders);
  } finally {
    inFlight.delete(call);
  }
}

async function send<T>(method: Method, url: string, body: unknown, extraHeaders: ExtraHeaders): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new ApiError(0, 'timeout', 'The server took too long to answer. Please try again.');
    }
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  const payload = await readJson(response).catch(() => null);
  if (response.ok) return payload as T;
  throw toApiError(response.status, response.statusText, payload);
}

/** Headers a change sends besides the usual ones (say, `x-change-id`). */
export type ExtraHeaders = Record<string, string>;

export interface Api {
  get<T>(url: string): Promise<T>;
  post<T>(url: string, body?: unknown, headers?: ExtraHeaders): Promise<T>;
  patch<T>(url: string, body: unknown, headers?: ExtraHeaders): Promise<T>;
  put<T>(url: string, body: unknown, headers?: ExtraHeaders): Promise<T>;
  delete(url: string, headers?: ExtraHeaders): Promise<void>;
}

export function createApi(onUnauthorized: OnUnauthorized): Api {
  return {
    get: <T>(url: string) => request<T>('GET', url, undefined, onUnauthorized),
    post: <T>(url: string, body?: unknown, headers?: ExtraHeaders) =>
      request<T>('POST', url, body, onUnauthorized, headers),
    patch: <T>(url: string, body: unknown, headers?: ExtraHeaders) =>
      request<T>('PATCH', url, body, onUnauthorized, headers),
    put: <T>(url: string, body: unknown, headers?: ExtraHeaders) =>
      request<T>('PUT', url, body, onUnauthorized, headers),
    delete: (url: string, headers?: ExtraHeaders) => request<void>('DELETE', url, undefined, onUnauthorized, headers),
  };
}

/** For signed-in pages: an ended session sends the browser to sign in. */
export const sessionApi = createApi('redirect');
/** For the sign-in pages, where a 401 is an answer to show ("Incorrect email or password"). */
export const publicApi = createApi('throw');
