import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { anyJson, objectFor, valueFor, type JsonSchema } from '../helpers/fuzz.js';
import { registerUser } from '../helpers/users.js';

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
  const tokens: Record<Caller, string | undefined> = { member: undefined, admin: undefined, nobody: undefined };

  /** A fresh member and admin: a fuzzed request may well end its own session (logout-all, password, role). */
  const signIn = async () => {
    tokens.member = (await registerUser(test.app)).token;
    const admin = await registerUser(test.app);
    await test.database.db.updateTable('users').set({ role: 'admin' }).where('id', '=', admin.id).execute();
    tokens.admin = admin.token;
  };

  beforeAll(async () => {
    test = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1000' } });
    const document = (await test.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
    }>();
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ ...operation, method: method.toUpperCase(), path })),
    );
    await signIn();
  });
  afterAll(() => test?.close());

  it('lists the routes from the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toContain('POST /api/chat/messages');
  });

  it('answers an id beyond 2^53 with 422, not a database error', async () => {
    const huge = '1' + '0'.repeat(30);
    for (const url of [
      `/api/chat/messages/${huge}`,
      `/api/chat/messages?after=${huge}`,
      `/api/timer/sessions/${huge}`,
    ]) {
      const answer = await test.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${tokens.member}` },
      });
      if (url.startsWith('/api/timer')) expect(answer.statusCode).toBe(405);
      else expect(answer.json(), url).toMatchObject({ code: 'validation_failed' });
    }
    const reply = await test.app.inject({
      method: 'POST',
      url: '/api/chat/messages',
      headers: { authorization: `Bearer ${tokens.member}` },
      payload: { content: 'hi', reply_to_id: 2 ** 53 },
    });
    expect(reply.statusCode).toBe(422);
  });

  it('refuses NUL and lone surrogates in any text with 422 and keeps bidi controls and zero-width characters as sent', async () => {
    const auth = { authorization: `Bearer ${tokens.member}` };
    const callsWith = (text: string) => [
      { method: 'POST' as const, url: '/api/chat/messages', payload: { content: text } },
      { method: 'POST' as const, url: '/api/timer/start', payload: { label: text } },
      { method: 'PATCH' as const, url: '/api/profile', payload: { display_name: text, bio: text } },
    ];
    const nul = 'nul \u0000 inside';
    const notText = [
      ...callsWith(nul),
      ...callsWith('lone \ud800 half'),
      ...callsWith('lone \udfff end'),
      { method: 'GET' as const, url: `/api/admin/users?q=${encodeURIComponent(nul)}` },
    ];
    for (const call of notText) {
      const answer = await test.app.inject({ ...call, headers: { authorization: `Bearer ${tokens.admin}` } });
      expect(answer.json(), JSON.stringify(call)).toMatchObject({ code: 'validation_failed' });
    }
    for (const text of ['rtl \u202e override\u202c', 'zero\u200bwidth\u200d', 'e\u0301', 'pair \ud83d\ude00 ok']) {
      const sent = await test.app.inject({ ...callsWith(text)[0], headers: auth } as never);
      expect(sent.statusCode, `${JSON.stringify(text)} ${sent.body}`).toBe(201);
      const id = sent.json<{ id: number }>().id;
      const read = await test.app.inject({ method: 'GET', url: `/api/chat/messages/${id}`, headers: auth });
      expect(read.json<{ content: string }>().content).toBe(text);
    }
  });

  it('answers every fuzzed request with a documented status and code, never a 500', { timeout: 300_000 }, async () => {
    const surprises = new Map<string, string>();
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(operation), async (request) => {
          const token = tokens[request.caller];
          const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
          if (request.body.kind !== 'none') headers['content-type'] = 'application/json';
          const response = await test.app.inject({
            method: operation.method as 'GET',
            url: urlFor(operation, request),
            headers,
            payload:
              request.body.kind === 'json'
                ? JSON.stringify(request.body.value)
                : request.body.kind === 'raw'
                  ? request.body.text
                  : undefined,
          });
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
