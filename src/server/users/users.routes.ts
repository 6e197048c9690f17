import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PublicProfileSchema, UsernameParamsSchema } from '../../protocol/users.js';
import type { AppContext } from '../context.js';
import { errorResponses, SECURITY } from '../http/schema.js';
import { getPublicProfile } from './users.service.js';

/** People's public profiles (the chat's profile card): `/api/users`. */
export const userRoutes: FastifyPluginAsyncTypebox<{ deps: AppContext }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);

  app.get(
    '/:username',
    {
      schema: {
        tags: ['users'],
        security: SECURITY,
        summary: "Someone's public profile (404 for an unknown or disabled account)",
        params: UsernameParamsSchema,
        response: { 200: PublicProfileSchema, ...errorResponses('not_found') },
      },
    },
    async (request) => getPublicProfile(deps, request.params.username),
  );
};
