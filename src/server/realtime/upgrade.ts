import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';

interface Pending {
  socket: Socket;
  head: Buffer;
  response: ServerResponse;
}

export type Upgrades = ReturnType<typeof handleUpgrades>;

/**
 * WebSocket handshakes go through Fastify like any request (its hooks check the session, the
 * Origin and the caps, and a refusal is an ordinary HTTP answer); a route then takes the socket
 * with `accept`. Once open, nothing of the handshake stays reachable from the socket: not the
 * request, not the reply (an idle socket costs what `ws` needs and the app's few fields).
 */
export function handleUpgrades(app: FastifyInstance, options: { maxPayload: number }) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const pending = new WeakMap<IncomingMessage, Pending>();
  // A bad frame (too big, not WebSocket): ws has already answered it and closes the socket.
  function onSocketError(error: Error): void {
    app.log.info({ err: error }, 'websocket error');
  }

  function onUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    // Node takes its own error listener off before 'upgrade': the socket needs one until ws adds its.
    socket.on('error', destroyOnError);
    const response = new ServerResponse(request);
    response.assignSocket(socket);
    // Any answer but the upgrade (401, 403, 429, 404…) ends the connection once written.
    response.once('finish', () => socket.destroySoon());
    pending.set(request, { socket, head, response });
    try {
      app.routing(request, response);
    } catch (error) {
      app.log.warn({ err: error }, 'websocket upgrade failed');
      socket.destroy();
    }
  }
  app.server.on('upgrade', onUpgrade);
  app.addHook('preClose', async () => {
    app.server.off('upgrade', onUpgrade);
  });

  return {
    /**
     * Takes this request's socket as a WebSocket and calls `onOpen` with it, or returns false when
     * the request is no upgrade. `onOpen` must not hold the request.
     */
    accept(request: FastifyRequest, reply: FastifyReply, onOpen: (socket: WebSocket) => void): boolean {
      const upgrade = pending.get(request.raw);
      if (upgrade === undefined) return false;
      pending.delete(request.raw);
      reply.hijack();
      const { socket, head, response } = upgrade;
      response.detachSocket(socket);
      socket.off('error', destroyOnError);
      wss.handleUpgrade(request.raw, socket, head, (webSocket) => {
        webSocket.on('error', onSocketError);
        onOpen(webSocket);
      });
      return true;
    },
  };
}

function destroyOnError(this: Socket): void {
  this.destroy();
}
