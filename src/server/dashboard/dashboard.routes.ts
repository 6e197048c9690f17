import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DashboardSchema, MyDashboardSchema } from '../../protocol/dashboard.js';
import { errorResponses, SECURITY as security } from '../http/schema.js';
import { user } from '../http/session.js';
import { getDashboard, getMyDashboard, type DashboardDeps } from './dashboard.service.js';

const tags = ['dashboard'];

export const dashboardRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);
  app.get(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'Community figures, "today" in your time zone',
        response: { 200: DashboardSchema, ...errorResponses() },
      },
    },
    async (request) => getDashboard(deps, user(request).id),
  );
  app.get(
    '/me',
    {
      schema: {
        tags,
        security,
        summary: 'Your focus, streaks and the last 30 days',
        response: { 200: MyDashboardSchema, ...errorResponses() },
      },
    },
    async (request) => getMyDashboard(deps, user(request).id),
  );
};
