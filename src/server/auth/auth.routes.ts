import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import formbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import {
  LoginBodySchema,
  LoginFormSchema,
  MeSchema,
  RegisterBodySchema,
  TokenResponseSchema,
  type LoginBody,
  type LoginForm,
  type TokenResponse,
} from '../../protocol/auth.js';
import type { AppContext } from '../context.js';
import { errorResponses, SECURITY } from '../http/schema.js';
import { perMinutePerAddress } from '../http/security.js';
import { addressKey } from '../http/address-key.js';
import { user } from '../http/session.js';
import * as auth from './auth.service.js';

const tags = ['auth'];

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: AppContext }> = async (app, { deps }) => {
  app.post(
    '/register',
    {
      config: perMinutePerAddress(deps.config, 20),
      schema: {
        tags,
        summary: 'Create an account and sign in',
        body: RegisterBodySchema,
        response: { 200: TokenResponseSchema, ...errorResponses('email_taken', 'username_taken', 'busy') },
      },
    },
    async (request, reply) => {
      const issued = await auth.register(deps, request.body);
      if (issued.firstAdmin === true) {
        request.log.info({ userId: issued.userId }, 'first account on this instance: it is the admin');
      }
      app.setSessionCookie(reply, issued.token);
      return bearer(issued.token);
    },
  );

  // Form bodies are parsed here only: the OAuth2 password form Swagger's "Authorize" sends.
  await app.register(async (scope) => {
    await scope.register(formbody);
    scope.post(
      '/login',
      {
        schema: {
          tags,
          summary: 'Sign in with a JSON body, or the OAuth2 password form (username = email)',
          body: {
            content: {
              'application/json': { schema: LoginBodySchema },
              'application/x-www-form-urlencoded': { schema: LoginFormSchema },
            },
          },
          response: {
            200: TokenResponseSchema,
            ...errorResponses('incorrect_login', 'account_disabled', 'rate_limited', 'busy'),
          },
        },
      },
      async (request, reply) => {
        const body = request.body as LoginBody | LoginForm;
        const email = 'email' in body ? body.email : body.username;
        const issued = await auth.login(deps, email, body.password, addressKey(request.ip));
        app.setSessionCookie(reply, issued.token);
        return bearer(issued.token);
      },
    );
  });

  app.post(
    '/logout',
    { schema: { tags, summary: 'Sign out of this browser (clears the cookie)', response: { 204: Type.Null() } } },
    async (_request, reply) => {
      app.clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/logout-all',
    {
      onRequest: app.requireUser,
      schema: {
        tags,
        summary: 'Sign out everywhere: every token of the user stops working',
        security: SECURITY,
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      await auth.revokeAllSessions(deps, user(request).id);
      app.clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      onRequest: app.requireUser,
      schema: {
        tags,
        summary: 'The signed-in user',
        security: SECURITY,
        response: { 200: MeSchema, ...errorResponses() },
      },
    },
    async (request) => auth.getMe(deps, user(request).id),
  );
};

function bearer(token: string): TokenResponse {
  return { access_token: token, token_type: 'bearer' };
}
