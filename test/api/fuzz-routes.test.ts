import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { as, guest, type Method } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { anyJson, objectFor, valueFor, type JsonSchema } from '../helpers/fuzz.js';
import { makeUser, type TestUser } from '../helpers/users.js';

interface Operation {
  method: string;
  path: string;
  parameters?: { in: 'path' | 'query'; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
  security?: unknown[];
}

/** Fixed, so a failure is the same failure on every machine (fast-check prints how to replay it). */
const SEED = 20_261_201;
const RUNS_PER_ROUTE = 40;
/**
 * Any route may answer these: an over-long path parameter (414: Fastify's router), a parameter
 * such as `..` that makes it another path (404/405), the body limit, a wrong content type, the
 * global rate limit. A route that takes input: 422 for text that is not text (NUL, a lone
 * surrogate); one that takes a body: 400 for one that is not JSON.
 */
const ALWAYS_POSSIBLE = new Set([404, 405, 413, 414, 415, 429]);
const WITH_INPUT = new Set([422]);
const WITH_A_BODY = new Set([400, 422]);

type Caller = 'member' | 'admin' | 'nobody';

/** The error codes the OpenAPI document lists for one response of a route. */
function codesOf(response: unknown): string[] | undefined {
  type ErrorResponse = { content?: Record<string, { schema?: { properties?: { code?: { enum?: string[] } } } }> };
  const schema = (response as ErrorResponse | undefined)?.content?.['application/json']?.schema;
  return schema?.properties?.code?.enum;
}

interface Request {
  caller: Caller;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'none' };
}

function requestFor(operation: Operation): fc.Arbitrary<Request> {
  const params = operation.parameters ?? [];
  const bySource = (source: 'path' | 'query') =>
    Object.fromEntries(params.filter((p) => p.in === source).map((p) => [p.name, valueFor(p.schema)]));
  const schema = operation.requestBody?.content['application/json']?.schema;
  const body: fc.Arbitrary<Request['body']> =
    schema === undefined
      ? fc.constant({ kind: 'none' })
      : fc.oneof(
          { weight: 6, arbitrary: objectFor(schema).map((value) => ({ kind: 'json' as const, value })) },
          { weight: 1, arbitrary: anyJson.map((value) => ({ kind: 'json' as const, value })) },
          {
            weight: 1,
            arbitrary: fc.constantFrom('{', '{"a":', '\u0000', '[]]').map((text) => ({ kind: 'raw' as const, text })),
          },
        );
  return fc.record({
    caller: fc.constantFrom<Caller>('member', 'member', 'member', 'admin', 'nobody'),
    path: fc.record(bySource('path')),
    query: fc.record(bySource('query'), { requiredKeys: [] }),
    body,
  });
}

/** Text for a URL: strings as they are, anything else as JSON; never empty (that is another route). */
function asText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === '' ? '0' : text.slice(0, 300);
}

function urlFor(operation: Operation, request: Request): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(asText(request.path[name]).replace(/[\ud800-\udfff]/g, '')),
  );
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) {
    for (const item of Array.isArray(value) ? value : [value])
      query.append(key, asText(item).replace(/[\ud800-\udfff]/g, ''));
  }
  const search = query.toString();
  return search === '' ? path : `${path}?${search}`;
}

describe.each(testDialects())('fuzzing every JSON route on %s', (dialect) => {
  let test: TestApp;
  let operations: Operation[];

  beforeAll(async () => {
    test = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1000' } });
    // The first account is the admin by itself: it is taken here, so every test's members are members.
    await makeUser(test);
    const document = (
      await guest(test.app).get<{ paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>> }>(
        '/openapi.json',
      )
    ).json();
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ ...operation, method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => test?.close());

  it('lists the routes from the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toContain('POST /api/chat/messages');
  });

  it('answers an id beyond 2^53 with 422, not a database error', async () => {
    const member = await makeUser(test);
    const huge = '1' + '0'.repeat(30);
    for (const url of [
      `/api/chat/messages/${huge}`,
      `/api/chat/messages?after=${huge}`,
      `/api/timer/sessions/${huge}`,
    ]) {
      const answer = await as(member).get(url);
      if (url.startsWith('/api/timer')) expect(answer.statusCode).toBe(405);
      else expect(answer.json(), url).toMatchObject({ code: 'validation_failed' });
    }
    const reply = await as(member).post('/api/chat/messages', { content: 'hi', reply_to_id: 2 ** 53 });
    expect(reply.statusCode).toBe(422);
  });

  it('refuses NUL and lone surrogates in any text with 422 and keeps bidi controls and zero-width characters as sent', async () => {
    const member = await makeUser(test);
    const admin = await makeUser(test, { role: 'admin' });
    const callsWith = (text: string): { method: Method; url: string; body?: object }[] => [
      { method: 'POST', url: '/api/chat/messages', body: { content: text } },
      { method: 'POST', url: '/api/timer/start', body: { label: text } },
      { method: 'PATCH', url: '/api/profile', body: { display_name: text, bio: text } },
    ];
    const nul = 'nul \u0000 inside';
    const notText = [
      ...callsWith(nul),
      ...callsWith('lone \ud800 half'),
      ...callsWith('lone \udfff end'),
      { method: 'GET' as const, url: `/api/admin/users?q=${encodeURIComponent(nul)}` },
    ];
    for (const call of notText) {
      const answer = await as(admin).request(call.method, call.url, call.body);
      expect(answer.json(), JSON.stringify(call)).toMatchObject({ code: 'validation_failed' });
    }
    for (const text of ['rtl \u202e override\u202c', 'zero\u200bwidth\u200d', 'e\u0301', 'pair \ud83d\ude00 ok']) {
      const [chat] = callsWith(text);
      const sent = await as(member).request<{ id: number }>('POST', '/api/chat/messages', chat?.body);
      expect(sent.statusCode, `${JSON.stringify(text)} ${sent.body}`).toBe(201);
      const read = await as(member).get<{ content: string }>(`/api/chat/messages/${sent.json().id}`);
      expect(read.json().content).toBe(text);
    }
  });

  it('answers every fuzzed request with a documented status and code, never a 500', { timeout: 300_000 }, async () => {
    const surprises = new Map<string, string>();
    const callers: Record<Caller, TestUser | undefined> = { member: undefined, admin: undefined, nobody: undefined };
    /** A fresh member and admin: a fuzzed request may well end its own session (logout-all, password, role). */
    const signIn = async () => {
      callers.member = await makeUser(test);
      callers.admin = await makeUser(test, { role: 'admin' });
    };
    await signIn();
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(operation), async (request) => {
          const caller = callers[request.caller];
          // The body goes as text, so a raw one that is not JSON reaches the server as it is.
          const response = await (caller === undefined ? guest(test.app) : as(caller)).request(
            operation.method as Method,
            urlFor(operation, request),
            request.body.kind === 'json'
              ? JSON.stringify(request.body.value)
              : request.body.kind === 'raw'
                ? request.body.text
                : undefined,
            request.body.kind === 'none' ? {} : { headers: { 'content-type': 'application/json' } },
          );
          const where = `${operation.method} ${operation.path} → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect(response.statusCode, where).toBeLessThan(500);
          const documented =
            response.statusCode in operation.responses ||
            // A route that names a security scheme answers 401 without one.
            (response.statusCode === 401 && operation.security !== undefined) ||
            ALWAYS_POSSIBLE.has(response.statusCode) ||
            (operation.requestBody !== undefined && WITH_A_BODY.has(response.statusCode)) ||
            ((operation.parameters ?? []).length > 0 && WITH_INPUT.has(response.statusCode));
          if (!documented) surprises.set(`${operation.method} ${operation.path} ${response.statusCode}`, where);
          if (response.statusCode >= 400) {
            const { code } = response.json<{ code: string }>();
            expect(code, where).toEqual(expect.any(String));
            const listed = codesOf(operation.responses[response.statusCode]);
            if (listed !== undefined && !listed.includes(code)) {
              surprises.set(`${operation.method} ${operation.path} ${response.statusCode} ${code}`, where);
            }
          }
          if (response.statusCode === 401 && request.caller !== 'nobody') await signIn();
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    expect([...surprises.values()]).toEqual([]);
  });
});
