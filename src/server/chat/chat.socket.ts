import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { ClientEventSchema, type ClientEvent } from '../../protocol/chat.js';
import type { SessionUser } from '../auth/auth.service.js';
import { serverLimits, type Config } from '../config.js';
import { addressKey } from '../http/address-key.js';
import { trustedOrigins } from '../http/csrf.js';
import { AppError, forbidden, httpError, notFound } from '../http/errors.js';
import { compileJsonValidator, toValidationIssues } from '../http/validation.js';
import { user } from '../http/session.js';
import { postingState } from '../moderation/posting.service.js';
import { CLOSE_INTERNAL_ERROR, CLOSE_POLICY, type Connection } from '../realtime/connections.js';
import type { Hub } from '../realtime/hub.js';
import type { Upgrades } from '../realtime/upgrade.js';
import * as chat from './chat.service.js';
import type { ChatDeps } from './chat.service.js';

/** Frames over this many bytes close the socket (ws answers 1009). */
export const MAX_FRAME_BYTES = 16 * 1024;
const BAD_FRAMES_ALLOWED = 5;
const BAD_FRAME_WINDOW_MS = 60_000;

const isClientEvent = compileJsonValidator<ClientEvent>(ClientEventSchema);

/** `/ws`: authenticated and Origin-checked before the upgrade; then JSON events both ways. */
export async function registerChatSocket(
  app: FastifyInstance,
  deps: ChatDeps,
  hub: Hub,
  upgrades: Upgrades,
): Promise<void> {
  const checkOrigin = originChecker(deps.config);
  // Refused before the upgrade; `attach` closes the few that parallel handshakes let past.
  const checkCaps = async (request: FastifyRequest) => {
    if (!hub.admits(user(request).id, addressKey(request.ip))) {
      throw httpError('too_many_connections', 'Too many open connections: close another tab first', {
        headers: { 'Retry-After': '30' },
      });
    }
  };
  /** Per socket what its frames need; one shared listener instead of closures per socket. */
  const opened = new WeakMap<WebSocket, { connection: Connection; sessionUser: SessionUser }>();
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const here = opened.get(this);
    if (here === undefined) return;
    void handleFrame(deps, hub, here.connection, here.sessionUser, data, isBinary).catch((error: unknown) => {
      app.log.error({ err: error }, 'websocket frame failed');
      hub.sendTo(here.connection, { type: 'error', code: 'internal_error', detail: 'Something went wrong' });
    });
  }
  app.get(
    '/ws',
    { onRequest: [checkOrigin, app.requireUser, checkCaps], schema: { hide: true } },
    async (request, reply) => {
      const sessionUser = user(request);
      const hubUser = {
        id: sessionUser.id,
        username: sessionUser.username,
        displayName: chat.shownName(sessionUser.displayName, sessionUser.username),
        role: sessionUser.role,
        tokenVersion: sessionUser.tokenVersion,
      };
      const address = addressKey(request.ip);
      // Only these few fields outlive the handshake: the request and reply are let go.
      const upgraded = upgrades.accept(request, reply, (socket) => {
        const connection = hub.attach(socket, hubUser, address);
        if (connection === undefined) return;
        opened.set(socket, { connection, sessionUser });
        socket.on('message', onMessage);
        void sayHello(deps, hub, connection).catch((error: unknown) => {
          app.log.error({ err: error }, 'hello failed');
          socket.close(CLOSE_INTERNAL_ERROR, 'Reconnect');
        });
      });
      if (!upgraded) throw notFound('WebSocket upgrade');
    },
  );
}

async function sayHello(deps: ChatDeps, hub: Hub, connection: Connection): Promise<void> {
  const { user } = connection;
  hub.greet(connection, {
    type: 'hello',
    user: { id: user.id, username: user.username, display_name: user.displayName, role: user.role },
    ...(await hub.settle()),
    last_message_id: await chat.lastMessageId(deps),
    server_time: new Date(deps.clock.now()).toISOString(),
    posting: await postingState(deps, user.id),
    limits: serverLimits(deps.config),
  });
}

async function handleFrame(
  deps: ChatDeps,
  hub: Hub,
  connection: Connection,
  sessionUser: SessionUser,
  data: RawData,
  isBinary: boolean,
): Promise<void> {
  const event = parseEvent(data, isBinary);
  if (typeof event === 'string') {
    rejectFrame(deps, hub, connection, event);
    return;
  }
  switch (event.type) {
    case 'ping':
      // The page pings only while the person is active (docs/websocket.md): it keeps them online.
      hub.touch(connection);
      hub.sendTo(connection, { type: 'pong' });
      return;
    case 'typing':
      hub.touch(connection);
      hub.setTyping(connection.user);
      return;
    case 'message.send': {
      hub.touch(connection);
      try {
        // The names as presence holds them: a rename since the handshake shows at once.
        const sender = { ...sessionUser, username: connection.user.username, displayName: connection.user.displayName };
        const message = await chat.sendMessage(deps, sender, {
          content: event.content,
          reply_to_id: event.reply_to_id,
          client_id: event.client_id,
        });
        hub.sendTo(connection, { type: 'ack', ref: event.ref, message });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const until = error.until === undefined ? {} : { until: new Date(error.until).toISOString() };
        hub.sendTo(connection, { type: 'error', ref: event.ref, code: error.code, detail: error.message, ...until });
      }
      return;
    }
  }
}

/** The event, or why the frame is not one. */
function parseEvent(data: RawData, isBinary: boolean): ClientEvent | string {
  if (isBinary) return 'Frames must be JSON text, not binary';
  let value: unknown;
  try {
    value = JSON.parse(rawToString(data));
  } catch {
    return 'Frames must be JSON: {"type": …}';
  }
  if (isClientEvent(value)) return value;
  const type = (value as { type?: unknown } | null)?.type;
  if (!['message.send', 'typing', 'ping'].includes(String(type))) return `Unknown event type: ${String(type)}`;
  const issue = toValidationIssues(isClientEvent.errors ?? [], 'body').find((i) => i.loc.length > 1);
  return issue === undefined ? 'Malformed event' : `${issue.loc.slice(1).join('.')}: ${issue.msg}`;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Answers a bad frame with an `error` event; too many in a minute close the socket with 1008. */
function rejectFrame(deps: ChatDeps, hub: Hub, connection: Connection, detail: string): void {
  const now = deps.clock.now();
  connection.badFrames = (connection.badFrames ?? []).filter((at) => now - at < BAD_FRAME_WINDOW_MS);
  connection.badFrames.push(now);
  if (connection.badFrames.length > BAD_FRAMES_ALLOWED) {
    connection.socket.close(CLOSE_POLICY, 'Too many bad frames');
    return;
  }
  hub.sendTo(connection, { type: 'error', code: 'bad_frame', detail });
}

/**
 * Browsers send Origin with every WebSocket handshake: only this site and CORS_ORIGINS may open
 * one riding the user's cookie. A handshake without Origin comes from no browser, so it has
 * only the credentials its own client holds.
 */
function originChecker(config: Config) {
  const isTrusted = trustedOrigins(config);
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !isTrusted(request, origin)) {
      throw forbidden('This origin may not open a WebSocket here');
    }
  };
}
