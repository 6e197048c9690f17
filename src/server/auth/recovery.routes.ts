import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ForgotBodySchema,
  ForgotResponseSchema,
  RecoveryAvailableSchema,
  ResetBodySchema,
  TokenResponseSchema,
} from '../../protocol/auth.js';
import { addressKey } from '../http/address-key.js';
import { errorResponses } from '../http/schema.js';
import { FORGOT_ANSWER, requestReset, resetPassword, type RecoveryDeps } from './recovery.service.js';

const tags = ['auth'];

/** Registered only where mail can go out (SMTP, or the log in development): 404 otherwise. */
export const recoveryRoutes: FastifyPluginAsyncTypebox<{ deps: RecoveryDeps }> = async (app, { deps }) => {
  app.get(
    '/forgot',
    {
      schema: {
        tags,
        summary: 'Whether password recovery is available here (404 when it is not)',
        response: { 200: RecoveryAvailableSchema },
      },
    },
    async () => ({ available: true as const }),
  );

  app.post(
    '/forgot',
    {
      schema: {
        tags,
        summary: 'Mail a single-use link to choose a new password (30 minutes); the same answer for every email',
        body: ForgotBodySchema,
        response: { 202: ForgotResponseSchema, ...errorResponses('rate_limited') },
      },
    },
    async (request, reply) => {
      await requestReset(deps, request.body.email, addressKey(request.ip));
      return reply.code(202).send({ detail: FORGOT_ANSWER });
    },
  );

  app.post(
    '/reset',
    {
      schema: {
        tags,
        summary: 'Choose a new password with the mailed token: every other session ends, this browser is signed in',
        body: ResetBodySchema,
        response: {
          200: TokenResponseSchema,
          ...errorResponses('invalid_reset_link', 'account_disabled', 'rate_limited', 'busy'),
        },
      },
    },
    async (request, reply) => {
      const issued = await resetPassword(deps, request.body.token, request.body.new_password, addressKey(request.ip));
      app.setSessionCookie(reply, issued.token);
      return { access_token: issued.token, token_type: 'bearer' as const };
    },
  );
};
