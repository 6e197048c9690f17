import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { handleUpgrades } from './upgrade.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('upgrades', () => {
  let app: FastifyInstance | undefined;
  afterEach(() => app?.close());

  async function start() {
    app = Fastify();
    const upgrades = handleUpgrades(app, { maxPayload: 1024 });
    const handshakes: WeakRef<object>[] = [];
    const opened: WebSocket[] = [];
    app.get('/ws', async (request, reply) => {
      if (request.headers.authorization !== 'yes') return reply.code(401).send({ code: 'not_authenticated' });
      handshakes.push(new WeakRef(request), new WeakRef(reply), new WeakRef(request.raw), new WeakRef(reply.raw));
      if (!upgrades.accept(request, reply, (socket) => opened.push(socket))) return reply.code(404).send();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws`;
    return { url, handshakes, opened };
  }

  it('keeps nothing of the handshake reachable once the socket is open', async () => {
    const { url, handshakes, opened } = await start();
    const client = new WebSocket(url, { headers: { authorization: 'yes' } });
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    await expect.poll(() => opened.length).toBe(1);
    const echoed = new Promise((resolve) => client.once('message', (data: Buffer) => resolve(data.toString())));
    opened[0]!.send('still open');
    expect(await echoed).toBe('still open');
    // Let the handshake's own callbacks finish before collecting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    expect(handshakes.map((ref) => ref.deref() === undefined)).toEqual([true, true, true, true]);
    client.terminate();
  });

  it('answers a refused handshake over HTTP and ends the connection', async () => {
    const { url, opened } = await start();
    const client = new WebSocket(url);
    const status = await new Promise<number>((resolve) =>
      client.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
    );
    expect(status).toBe(401);
    expect(opened).toHaveLength(0);
  });
});
