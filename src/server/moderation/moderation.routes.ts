import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MessageIdParamsSchema } from '../../protocol/chat.js';
import {
  AuditListSchema,
  AuditQuerySchema,
  ChatSettingsSchema,
  PostingStateSchema,
  ReportBodySchema,
  ReportCountSchema,
  ReportCreatedSchema,
  ReportListQuerySchema,
  ReportListSchema,
  ReportParamsSchema,
  ResolveReportBodySchema,
} from '../../protocol/moderation.js';
import { errorResponses, SECURITY as security } from '../http/schema.js';
import { adminActor, user } from '../http/session.js';
import { listAudit } from './audit.service.js';
import { getChatSettings, postingState, setChatSettings } from './posting.service.js';
import { countOpenReports, listReports, reportMessage, resolveReport, type ReportDeps } from './reports.service.js';

const tags = ['moderation'];

/** What members do and see of moderation, under `/api/chat`. */
export const memberModerationRoutes: FastifyPluginAsyncTypebox<{ deps: ReportDeps }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);
  app.post(
    '/messages/:id/report',
    {
      schema: {
        tags,
        security,
        summary: "Report someone else's message to the admins (one open report per person per message)",
        params: MessageIdParamsSchema,
        body: ReportBodySchema,
        response: { 201: ReportCreatedSchema, ...errorResponses(400, 401, 404, 409, 422, 429) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await reportMessage(deps, user(request), request.params.id, request.body.reason)),
  );
  app.get(
    '/posting',
    {
      schema: {
        tags,
        security,
        summary: 'Slow mode and your own timeout, as they hold now',
        response: { 200: PostingStateSchema, ...errorResponses(401) },
      },
    },
    async (request) => postingState(deps, user(request).id),
  );
};

/** Administrators only, under `/api/admin`: 401 without a session, 403 for everyone else. */
export const adminModerationRoutes: FastifyPluginAsyncTypebox<{ deps: ReportDeps }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireAdmin);
  app.get(
    '/audit',
    {
      schema: {
        tags,
        security,
        summary: 'Every admin action, newest first; `before` is the cursor of the next page',
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema, ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => listAudit(deps, request.query),
  );
  app.get(
    '/reports',
    {
      schema: {
        tags,
        security,
        summary: 'Reported messages with their sender and reporters, most recently reported first',
        querystring: ReportListQuerySchema,
        response: { 200: ReportListSchema, ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => listReports(deps, request.query),
  );
  app.get(
    '/reports/count',
    {
      schema: {
        tags,
        security,
        summary: 'How many messages have open reports',
        response: { 200: ReportCountSchema, ...errorResponses(401, 403) },
      },
    },
    async () => countOpenReports(deps),
  );
  app.post(
    '/reports/:id/resolve',
    {
      schema: {
        tags,
        security,
        summary: "Close every open report of the report's message: dismiss, or delete the message",
        params: ReportParamsSchema,
        body: ResolveReportBodySchema,
        response: { 200: ReportCountSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => resolveReport(deps, adminActor(request), request.params.id, request.body.action),
  );
  app.get(
    '/chat/settings',
    {
      schema: {
        tags,
        security,
        summary: 'The chat settings',
        response: { 200: ChatSettingsSchema, ...errorResponses(401, 403) },
      },
    },
    async () => getChatSettings(deps),
  );
  app.put(
    '/chat/settings',
    {
      schema: {
        tags,
        security,
        summary: 'Set slow mode: members may post one message per that many seconds (0 = off; admins exempt)',
        body: ChatSettingsSchema,
        response: { 200: ChatSettingsSchema, ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => setChatSettings(deps, adminActor(request), request.body),
  );
};
