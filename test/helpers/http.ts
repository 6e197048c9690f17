/** One JSON call over real HTTP; rejects only when no answer came (refused, reset, timed out). */
export async function callJson<T>(
  baseUrl: string,
  auth: { authorization: string },
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(baseUrl + url, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, json: (text === '' ? null : JSON.parse(text)) as T };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
