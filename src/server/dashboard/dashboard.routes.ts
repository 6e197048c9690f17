import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DashboardSchema } from '../../protocol/dashboard.js';
import type { AppContext } from '../context.js';
import { errorResponses, SECURITY } from '../http/schema.js';
import { user } from '../http/session.js';
import { getDashboard } from './dashboard.service.js';

export const dashboardRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      onRequest: app.requireUser,
      schema: {
        tags: ['dashboard'],
        security: SECURITY,
        summary: 'Community figures',
        response: { 200: DashboardSchema, ...errorResponses(401) },
      },
    },
    async (request) => getDashboard(ctx, user(request).id),
  );
};
