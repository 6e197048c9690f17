/** One JSON call over real HTTP; rejects only when no answer came (refused, reset, timed out). */
export async function callJson<T>(
  baseUrl: string,
  auth: { authorization?: string },
  method: string,
  url: string,
  body?: unknown,
  timeoutMs = 15_000,
): Promise<{ status: number; json: T }> {
  const response = await fetch(baseUrl + url, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  return { status: response.status, json: (text === '' ? null : JSON.parse(text)) as T };
}

/** `callJson` for a call that must succeed: the body, or an error naming the status and what came back. */
export async function okJson<T>(
  baseUrl: string,
  auth: { authorization?: string },
  method: string,
  url: string,
  body?: unknown,
  timeoutMs?: number,
): Promise<T> {
  const { status, json } = await callJson<T>(baseUrl, auth, method, url, body, timeoutMs);
  if (status >= 400) throw new Error(`${method} ${url}: HTTP ${status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

/** The `Authorization` header of a token (none without one). */
export const bearer = (token: string | undefined): { authorization?: string } =>
  token === undefined ? {} : { authorization: `Bearer ${token}` };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
