import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { TokenResponseSchema } from '../../protocol/auth.js';
import {
  ConfirmLinkBodySchema,
  IdentitiesSchema,
  PendingLinkSchema,
  ProvidersSchema,
  RedirectSchema,
} from '../../protocol/oauth.js';
import type { Config } from '../config.js';
import { addressKey } from '../http/address-key.js';
import { AppError, httpError } from '../http/errors.js';
import { errorResponses, SECURITY } from '../http/schema.js';
import { user } from '../http/session.js';
import { FLOW_COOKIE, FLOW_LIFETIME_SECONDS, PENDING_COOKIE } from './flow-cookie.js';
import * as identities from './identities.service.js';
import * as oauth from './oauth.service.js';

const tags = ['sign-in providers'];
const ProviderParamsSchema = Type.Object({
  provider: Type.String({ maxLength: 20, description: 'github, google or oidc' }),
});
const Redirect = Type.Null({ description: 'A redirect (Location) to the provider or back to a page' });
const short = (text: string) => text.slice(0, 300);

export const oauthRoutes: FastifyPluginAsyncTypebox<{ deps: oauth.OAuthDeps; config: Config }> = async (
  app,
  { deps, config },
) => {
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: config.production, path: '/auth' };
  const setShortCookie = (reply: FastifyReply, name: string, value: string) =>
    reply.setCookie(name, value, { ...cookieOptions, maxAge: FLOW_LIFETIME_SECONDS });

  app.get(
    '/providers',
    {
      schema: {
        tags,
        summary: 'The sign-in providers that are on (one button each)',
        response: { 200: ProvidersSchema },
      },
    },
    async () => ({ providers: oauth.listProviders(deps) }),
  );

  app.get(
    '/:provider/login',
    {
      schema: {
        tags,
        summary: 'Start signing in with a provider: redirects to it (404 when it is not configured)',
        params: ProviderParamsSchema,
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) }),
        response: { 302: Redirect, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      try {
        const flow = await oauth.startFlow(deps, request.params.provider, {
          kind: 'sign-in',
          next: request.query.next,
        });
        setShortCookie(reply, FLOW_COOKIE, flow.flowCookie);
        return reply.redirect(flow.redirectTo, 302);
      } catch (error) {
        if (error instanceof AppError && error.code === 'service_unavailable')
          return reply.redirect('/?error=oauth_unavailable', 302);
        throw error;
      }
    },
  );

  // The Python version's buttons pointed here.
  app.get(
    '/login/:provider',
    {
      schema: {
        tags,
        summary: "The earlier version's address: redirects to /auth/{provider}/login",
        params: ProviderParamsSchema,
        response: { 302: Redirect, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      const provider = oauth.listProviders(deps).find((p) => p.id === request.params.provider);
      if (provider === undefined) throw httpError('not_found', 'Sign-in provider not found');
      return reply.redirect(`/auth/${provider.id}/login`, 302);
    },
  );

  app.get(
    '/:provider/callback',
    {
      schema: {
        tags,
        summary: 'Where the provider sends the browser back: signs in, links, or asks for the password first',
        params: ProviderParamsSchema,
        querystring: Type.Object(
          {
            code: Type.Optional(Type.String({ maxLength: 2048 })),
            state: Type.Optional(Type.String({ maxLength: 512 })),
            error: Type.Optional(Type.String({ maxLength: 256 })),
          },
          { additionalProperties: true },
        ),
        response: { 302: Redirect, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      const { provider } = request.params;
      const signedIn = await app.optionalUser(request);
      const outcome = await oauth.finishFlow(
        deps,
        provider,
        { query: request.url.split('?')[1] ?? '', state: request.query.state, error: request.query.error },
        request.cookies[FLOW_COOKIE],
        signedIn?.id ?? null,
        addressKey(request.ip),
      );
      reply.clearCookie(FLOW_COOKIE, cookieOptions);
      if (outcome.kind === 'signed-in') app.setSessionCookie(reply, outcome.token);
      if (outcome.kind === 'needs-proof') setShortCookie(reply, PENDING_COOKIE, outcome.pendingCookie);
      // The trail of sign-ins and links: provider, outcome and account id, never the email.
      request.log.info(
        {
          provider,
          outcome: outcome.kind,
          userId: outcome.userId,
          ...(outcome.kind === 'signed-in' ? { created: outcome.created } : {}),
          ...(outcome.kind === 'refused'
            ? { code: outcome.code, reason: outcome.reason && short(outcome.reason) }
            : {}),
        },
        'provider sign-in callback',
      );
      return reply.redirect(outcome.redirectTo, 302);
    },
  );

  app.post(
    '/:provider/link',
    {
      onRequest: app.requireUser,
      schema: {
        tags,
        summary: 'Start linking a provider to the signed-in account: answers where to send the browser',
        security: SECURITY,
        params: ProviderParamsSchema,
        response: { 200: RedirectSchema, ...errorResponses('not_found', 'service_unavailable') },
      },
    },
    async (request, reply) => {
      const flow = await oauth.startFlow(deps, request.params.provider, { kind: 'link', userId: user(request).id });
      setShortCookie(reply, FLOW_COOKIE, flow.flowCookie);
      return { redirect_to: flow.redirectTo };
    },
  );

  app.get(
    '/link/pending',
    {
      schema: {
        tags,
        summary: 'The provider identity waiting for the password of the account its email belongs to',
        response: { 200: PendingLinkSchema, ...errorResponses('link_expired') },
      },
    },
    async (request) => oauth.pendingLink(deps, request.cookies[PENDING_COOKIE]),
  );

  app.post(
    '/link/confirm',
    {
      schema: {
        tags,
        summary: 'Prove the account is yours with its password: links the waiting identity and signs in',
        body: ConfirmLinkBodySchema,
        response: {
          200: TokenResponseSchema,
          ...errorResponses(
            'link_expired',
            'incorrect_login',
            'account_disabled',
            'identity_taken',
            'provider_linked',
            'rate_limited',
            'busy',
          ),
        },
      },
    },
    async (request, reply) => {
      const linked = await oauth.confirmLink(
        deps,
        request.cookies[PENDING_COOKIE],
        request.body.password,
        addressKey(request.ip),
      );
      reply.clearCookie(PENDING_COOKIE, cookieOptions);
      app.setSessionCookie(reply, linked.token);
      request.log.info({ provider: linked.provider, userId: linked.userId }, 'provider linked after password proof');
      return { access_token: linked.token, token_type: 'bearer' as const };
    },
  );

  app.get(
    '/identities',
    {
      onRequest: app.requireUser,
      schema: {
        tags,
        summary: 'The providers linked to the signed-in account',
        security: SECURITY,
        response: { 200: IdentitiesSchema, ...errorResponses() },
      },
    },
    async (request) => identities.listIdentities(deps, user(request).id),
  );

  app.delete(
    '/identities/:provider',
    {
      onRequest: app.requireUser,
      schema: {
        tags,
        summary: 'Unlink a provider (refused when it is the last way into the account)',
        security: SECURITY,
        params: ProviderParamsSchema,
        response: { 204: Type.Null(), ...errorResponses('not_found', 'last_sign_in_method') },
      },
    },
    async (request, reply) => {
      const userId = user(request).id;
      await identities.unlinkIdentity(deps, userId, request.params.provider);
      request.log.info({ provider: request.params.provider, userId }, 'provider unlinked');
      return reply.code(204).send(null);
    },
  );
};
