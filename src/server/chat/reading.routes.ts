import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CursorQuerySchema,
  MentionListSchema,
  ReadBodySchema,
  SearchQuerySchema,
  SearchResultsSchema,
  UnreadStateSchema,
} from '../../protocol/chat-read.js';
import { errorResponses, SECURITY } from '../http/schema.js';
import { user } from '../http/session.js';
import type { ChatDeps } from './chat.service.js';
import * as reading from './reading.service.js';
import { searchMessages } from './search.service.js';

const tags = ['chat'];
const security = SECURITY;

/** Read position, unread and mention counts, mentions and search: under `/api/chat`. */
export const readingRoutes: FastifyPluginAsyncTypebox<{ deps: ChatDeps }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);

  app.put(
    '/read',
    {
      schema: {
        tags,
        security,
        summary: 'Move your read position forward (never back); your other tabs and devices follow',
        body: ReadBodySchema,
        response: { 200: UnreadStateSchema, ...errorResponses() },
      },
    },
    async (request) => reading.markRead(deps, user(request).id, request.body.last_read_id),
  );

  app.get(
    '/unread',
    {
      schema: {
        tags,
        security,
        summary: 'Your read position, and the unread and mention counts since (each up to 100)',
        response: { 200: UnreadStateSchema, ...errorResponses() },
      },
    },
    async (request) => reading.unreadState(deps, user(request).id),
  );

  app.get(
    '/mentions',
    {
      schema: {
        tags,
        security,
        summary: 'Messages that mention you, newest first, with their read state',
        querystring: CursorQuerySchema,
        response: { 200: MentionListSchema, ...errorResponses() },
      },
    },
    async (request) => reading.listMentions(deps, user(request).id, request.query),
  );

  app.get(
    '/search',
    {
      schema: {
        tags,
        security,
        summary: 'Full-text search over live messages, newest first, with the matched words marked',
        querystring: SearchQuerySchema,
        response: { 200: SearchResultsSchema, ...errorResponses() },
      },
    },
    async (request) => searchMessages(deps, user(request).id, request.query),
  );
};
