import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AdminStatsSchema,
  AdminUserChangeSchema,
  AdminUserListSchema,
  AdminUserParamsSchema,
  AdminUserQuerySchema,
  AdminUserSchema,
} from '../../protocol/admin.js';
import { TimeoutBodySchema } from '../../protocol/moderation.js';
import { errorResponses, SECURITY as security } from '../http/schema.js';
import { adminActor, user } from '../http/session.js';
import { changeUser, timeOutUser } from './account.commands.js';
import { getStats, listUsers, type AdminDeps } from './admin.service.js';

const tags = ['admin'];

/** Administrators only: 401 without a session, 403 for everyone else. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ deps: AdminDeps }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireAdmin);
  app.get(
    '/stats',
    {
      schema: {
        tags,
        security,
        summary: 'Accounts and messages at a glance',
        response: { 200: AdminStatsSchema, ...errorResponses('forbidden') },
      },
    },
    async (request) => getStats(deps, user(request).id),
  );
  app.get(
    '/users',
    {
      schema: {
        tags,
        security,
        summary:
          'Accounts by joining or last seen, optionally by role, disabled or timed out, or matching part of an email, username or name',
        querystring: AdminUserQuerySchema,
        response: { 200: AdminUserListSchema, ...errorResponses('forbidden') },
      },
    },
    async (request) => listUsers(deps, request.query),
  );
  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        security,
        summary: "Change someone's role or disable/enable them (disabling signs them out everywhere)",
        params: AdminUserParamsSchema,
        body: AdminUserChangeSchema,
        response: {
          200: AdminUserSchema,
          ...errorResponses('forbidden', 'not_found', 'last_admin', 'cannot_disable_self'),
        },
      },
    },
    async (request) => {
      const changed = await changeUser(deps, adminActor(request), request.params.id, request.body);
      // The trail of who changed whom: ids only, no email.
      request.log.info(
        { adminId: user(request).id, userId: changed.id, change: request.body },
        'admin changed an account',
      );
      return changed;
    },
  );
  app.post(
    '/users/:id/timeout',
    {
      schema: {
        tags,
        security,
        summary: 'Time someone out for 1–10080 minutes (0 lifts it): they can read but not post, edit or react',
        params: AdminUserParamsSchema,
        body: TimeoutBodySchema,
        response: { 200: AdminUserSchema, ...errorResponses('forbidden', 'not_found', 'cannot_time_out') },
      },
    },
    async (request) => timeOutUser(deps, adminActor(request), request.params.id, request.body.minutes),
  );
};
