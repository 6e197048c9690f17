import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEventSchema } from '../../src/protocol/chat.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { anyJson, nastyString, objectFor, type JsonSchema } from '../helpers/fuzz.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';
import { registerUser, type TestUser } from '../helpers/users.js';

const SEED = 20_261_201;
const RUNS = 300;
/** The close codes a fuzzed client may get: too many bad frames (1008), a frame over 16 KiB (1009). */
const EXPECTED_CLOSES = new Set([1008, 1009]);

/** Every client frame type of the protocol, from its schema, so a new type is fuzzed too. */
const frameSchemas = (ClientEventSchema as unknown as { anyOf: JsonSchema[] }).anyOf;

const frame: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(...frameSchemas.map((schema) => typedFrame(schema))).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.oneof(nastyString, fc.constantFrom('{', 'null', '"ping"', 'x'.repeat(20_000))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
);

/** A frame of this type with fuzzed fields (any subset), or now and then of a made-up type. */
function typedFrame(schema: JsonSchema) {
  const type = (schema.properties?.type as { const?: string } | undefined)?.const ?? 'ping';
  return fc
    .tuple(
      objectFor({ ...schema, properties: { ...schema.properties, type: { type: 'string' } } }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([fields, keepType, orKeep]) => ({ ...fields, type: keepType || orKeep ? type : fields.type }));
}

/** Whether the frame is a `message.send`: it is answered by an ack or an error, after the database work. */
function isSend(data: string | Buffer): boolean {
  try {
    return (JSON.parse(data.toString()) as { type?: unknown } | null)?.type === 'message.send';
  } catch {
    return false;
  }
}

/**
 * Waits until the frame was answered: a send by its ack or error; anything else is followed by a
 * ping, whose pong comes after the frame's error if it had one. A close answers everything.
 */
async function answerTo(socket: TestSocket, data: string | Buffer, from: number): Promise<void> {
  const send = isSend(data);
  if (!send) socket.send({ type: 'ping' });
  const wanted = send ? ['ack', 'error'] : ['pong'];
  const deadline = Date.now() + 15_000;
  let closed = false;
  void socket.closed.then(() => (closed = true));
  while (!closed && !socket.events.slice(from).some((e) => wanted.includes(e.type))) {
    if (Date.now() > deadline) throw new Error(`no answer to ${data.toString().slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe.each(testDialects())('fuzzing every WebSocket frame type on %s', (dialect) => {
  let test: TestApp;
  let base: string;
  let user: TestUser;
  let socket: TestSocket;

  beforeAll(async () => {
    test = await createTestApp(dialect, { env: { RATE_LIMIT_FACTOR: '1000' } });
    base = await test.listen();
    user = await registerUser(test.app);
    socket = await openSocket(base, { token: user.token });
  });
  afterAll(async () => {
    await socket?.close();
    await test?.close();
  });

  it('refuses a message with NUL or a lone surrogate as a bad frame, not an internal error', async () => {
    for (const [ref, content] of [
      ['nul', 'a\u0000b'],
      ['lone', 'a\ud800b'],
    ] as const) {
      socket = socket.ws.readyState === socket.ws.OPEN ? socket : await openSocket(base, { token: user.token });
      const from = socket.events.length;
      socket.send({ type: 'message.send', ref, content });
      await answerTo(socket, JSON.stringify({ type: 'message.send' }), from);
      expect(socket.events.slice(from).find((e) => e.type === 'error' || e.type === 'ack')).toMatchObject({
        type: 'error',
        code: 'bad_frame',
      });
    }
  });

  it(
    'answers every frame with an ack, a pong or an error it names, and never fails inside',
    { timeout: 120_000 },
    async () => {
      const closes: number[] = [];
      await fc.assert(
        fc.asyncProperty(frame, async (data) => {
          if (socket.ws.readyState !== socket.ws.OPEN) {
            closes.push((await socket.closed).code);
            socket = await openSocket(base, { token: user.token });
          }
          const from = socket.events.length;
          socket.ws.send(data);
          await answerTo(socket, data, from);
          const failures = socket.events.filter((e) => e.type === 'error' && e.code === 'internal_error');
          expect(failures).toEqual([]);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect(closes.filter((code) => !EXPECTED_CLOSES.has(code))).toEqual([]);
      // The server is still fine: a real message goes through.
      socket = socket.ws.readyState === socket.ws.OPEN ? socket : await openSocket(base, { token: user.token });
      socket.send({ type: 'message.send', ref: 'after-fuzz', content: 'still here' });
      expect((await socket.next('ack', (e) => e.ref === 'after-fuzz', 15_000)).message.content).toBe('still here');
    },
  );
});
