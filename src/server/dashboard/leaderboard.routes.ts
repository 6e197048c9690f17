import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LeaderboardQuerySchema, LeaderboardSchema } from '../../protocol/leaderboard.js';
import type { AppContext } from '../context.js';
import { errorResponses, SECURITY as security } from '../http/schema.js';
import { user } from '../http/session.js';
import { getLeaderboard } from './leaderboard.service.js';

/** The opt-in weekly leaderboard, under /api/leaderboard. */
export const leaderboardRoutes: FastifyPluginAsyncTypebox<{ deps: AppContext }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);
  app.get(
    '/',
    {
      schema: {
        tags: ['dashboard'],
        security,
        summary: "This or last week's focus of those who opted in, each in their own week (Monday start)",
        querystring: LeaderboardQuerySchema,
        response: { 200: LeaderboardSchema, ...errorResponses() },
      },
    },
    async (request) => getLeaderboard(deps, user(request).id, request.query),
  );
};
