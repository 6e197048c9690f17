import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CompleteProfileBodySchema,
  CompleteProfileResponseSchema,
  PasswordChangeBodySchema,
  PasswordChangeResponseSchema,
  ProfilePatchSchema,
  ProfileSchema,
  ProfileStatusSchema,
} from '../../protocol/profile.js';
import { changePassword } from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import { errorResponses, SECURITY } from '../http/schema.js';
import { perMinutePerAddress } from '../http/security.js';
import { user } from '../http/session.js';
import * as profiles from './profile.service.js';

const tags = ['profile'];
const security = SECURITY;

export const profileRoutes: FastifyPluginAsyncTypebox<{ deps: AppContext }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);

  app.get(
    '/',
    { schema: { tags, security, summary: 'Your profile', response: { 200: ProfileSchema, ...errorResponses() } } },
    async (request) => profiles.getProfile(deps, user(request).id),
  );

  app.patch(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'Change some profile fields (null clears an optional one)',
        body: ProfilePatchSchema,
        response: { 200: ProfileSchema, ...errorResponses('username_taken') },
      },
    },
    async (request) => profiles.updateProfile(deps, user(request).id, request.body),
  );

  app.post(
    '/complete',
    {
      schema: {
        tags,
        security,
        summary: 'Finish onboarding',
        body: CompleteProfileBodySchema,
        response: { 200: CompleteProfileResponseSchema, ...errorResponses('username_taken') },
      },
    },
    async (request) => {
      await profiles.completeProfile(deps, user(request).id, request.body);
      return {
        message: 'Profile completed successfully!',
        profile_complete: true as const,
        redirect_to: '/dashboard' as const,
      };
    },
  );

  app.get(
    '/status',
    {
      schema: {
        tags,
        security,
        summary: 'Where to go next: onboarding or dashboard',
        response: { 200: ProfileStatusSchema, ...errorResponses() },
      },
    },
    async (request) => profiles.getProfileStatus(deps, user(request).id),
  );

  app.post(
    '/password',
    {
      config: perMinutePerAddress(deps.config, 10),
      schema: {
        tags,
        security,
        summary: 'Change your password: other sessions end, this one is renewed',
        body: PasswordChangeBodySchema,
        response: {
          200: PasswordChangeResponseSchema,
          ...errorResponses('current_password_required', 'incorrect_password', 'password_unchanged', 'busy'),
        },
      },
    },
    async (request, reply) => {
      const token = await changePassword(
        deps,
        user(request).id,
        request.body.current_password,
        request.body.new_password,
      );
      app.setSessionCookie(reply, token);
      return {
        message: 'Password changed: you were signed out everywhere else',
        access_token: token,
        token_type: 'bearer' as const,
      };
    },
  );
};
