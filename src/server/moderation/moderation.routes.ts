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
        response: {
          201: ReportCreatedSchema,
          ...errorResponses('not_found', 'cannot_report_own', 'already_reported', 'rate_limited'),
        },
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
        response: { 200: PostingStateSchema, ...errorResponses() },
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
        response: { 200: AuditListSchema, ...errorResponses('forbidden') },
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
        response: { 200: ReportListSchema, ...errorResponses('forbidden') },
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
        response: { 200: ReportCountSchema, ...errorResponses('forbidden') },
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
        response: { 200: ReportCountSchema, ...errorResponses('forbidden', 'not_found', 'already_resolved') },
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
        response: { 200: ChatSettingsSchema, ...errorResponses('forbidden') },
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
        response: { 200: ChatSettingsSchema, ...errorResponses('forbidden') },
      },
    },
    async (request) => setChatSettings(deps, adminActor(request), request.body),
  );
};
