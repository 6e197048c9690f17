import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ChatStatusSchema,
  EditMessageBodySchema,
  MessageIdParamsSchema,
  MessageListQuerySchema,
  MessageListSchema,
  ApiMessageSchema,
  OnlineQuerySchema,
  OnlineUserSchema,
  ReactionBodySchema,
  ReactionSchema,
  SendMessageBodySchema,
} from '../../protocol/chat.js';
import { ONLINE_PAGE_MAX, onlinePage } from '../../protocol/presence.js';
import { errorResponses, SECURITY } from '../http/schema.js';
import { user } from '../http/session.js';
import * as chat from './chat.service.js';
import type { ChatDeps } from './chat.service.js';

const tags = ['chat'];
const security = SECURITY;

export const chatRoutes: FastifyPluginAsyncTypebox<{ deps: ChatDeps }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);

  app.get(
    '/messages',
    {
      schema: {
        tags,
        security,
        summary:
          'Messages: by page (newest first), before=ID (older, newest first) or after=ID (catch-up, oldest first)',
        querystring: MessageListQuerySchema,
        response: { 200: MessageListSchema, ...errorResponses('page_too_deep', 'not_found') },
      },
    },
    async (request) => chat.listMessages(deps, user(request).id, request.query),
  );

  app.post(
    '/messages',
    {
      schema: {
        tags,
        security,
        summary: 'Send a message; the same client_id again returns the stored message (410 if it was deleted)',
        body: SendMessageBodySchema,
        response: {
          201: ApiMessageSchema,
          ...errorResponses('bad_request', 'message_deleted', 'rate_limited', 'slow_mode', 'timed_out'),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await chat.sendMessage(deps, user(request), request.body)),
  );

  app.get(
    '/messages/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One message',
        params: MessageIdParamsSchema,
        response: { 200: ApiMessageSchema, ...errorResponses('not_found') },
      },
    },
    async (request) => chat.getMessage(deps, user(request).id, request.params.id),
  );

  // PUT as well: the Python version's pages edit with PUT.
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/messages/:id',
    schema: {
      tags,
      security,
      summary: 'Edit your message within the edit window (PATCH, or PUT as the Python version sent)',
      params: MessageIdParamsSchema,
      body: EditMessageBodySchema,
      response: { 200: ApiMessageSchema, ...errorResponses('not_found', 'forbidden', 'timed_out', 'rate_limited') },
    },
    handler: async (request) => chat.editMessage(deps, user(request), request.params.id, request.body.content),
  });

  app.delete(
    '/messages/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a message (the sender or an admin)',
        params: MessageIdParamsSchema,
        response: { 204: Type.Null(), ...errorResponses('not_found', 'forbidden') },
      },
    },
    async (request, reply) => {
      await chat.deleteMessage(deps, user(request), request.params.id, request.ip);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/messages/:id/reactions',
    {
      schema: {
        tags,
        security,
        summary: 'Toggle your reaction',
        params: MessageIdParamsSchema,
        body: ReactionBodySchema,
        response: {
          200: Type.Array(ReactionSchema),
          ...errorResponses('not_found', 'too_many_reactions', 'timed_out', 'rate_limited'),
        },
      },
    },
    async (request) => chat.toggleReaction(deps, user(request), request.params.id, request.body.emoji),
  );

  app.get(
    '/status',
    {
      schema: { tags, security, summary: 'Chat figures', response: { 200: ChatStatusSchema, ...errorResponses() } },
    },
    async () => chat.chatStatus(deps),
  );

  app.get(
    '/online',
    {
      schema: {
        tags,
        security,
        summary: `Who is connected now, in pages of at most ${ONLINE_PAGE_MAX} (after=<id>:<display name> of the last one)`,
        querystring: OnlineQuerySchema,
        response: { 200: Type.Array(OnlineUserSchema), ...errorResponses() },
      },
    },
    async (request) => onlinePage(deps.onlineUsers(), request.query.after, request.query.limit ?? ONLINE_PAGE_MAX),
  );
};
