import { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * A body must arrive within `limitMs` of its headers. Node's `requestTimeout` stops counting once
 * the headers are in and a handler runs, so a client trickling a byte at a time could hold the
 * connection (and its parser) for ever; this closes it with 408 instead.
 */
export function registerBodyTimeout(app: FastifyInstance, limitMs: number): void {
  app.addHook('onRequest', async (request) => {
    const raw = request.raw;
    if (raw.readableEnded || (raw.headers['content-length'] === undefined && !raw.headers['transfer-encoding'])) return;
    const timer = setTimeout(() => {
      // A request made in-process (`app.inject`) has no connection to close.
      if (!(raw.socket instanceof Socket)) return;
      request.log.info('request body too slow: connection closed');
      raw.socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      raw.socket.destroySoon();
    }, limitMs);
    timer.unref();
    raw.once('end', () => clearTimeout(timer));
    raw.once('close', () => clearTimeout(timer));
  });
}
