import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CreateSprintBodySchema,
  SprintIdParamsSchema,
  SprintListQuerySchema,
  SprintSchema,
} from '../../protocol/sprints.js';
import { errorResponses, SECURITY as security } from '../http/schema.js';
import { user } from '../http/session.js';
import * as sprints from './sprints.service.js';

const tags = ['sprints'];
const params = SprintIdParamsSchema;

/** Group sprints, under /api/sprints. */
export const sprintRoutes: FastifyPluginAsyncTypebox<{ deps: sprints.SprintDeps }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);

  app.post(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'Start a group sprint (you are in it; its card is posted in the chat)',
        body: CreateSprintBodySchema,
        response: { 201: SprintSchema, ...errorResponses('sprint_open', 'timed_out', 'rate_limited') },
      },
    },
    async (request, reply) => reply.code(201).send(await sprints.createSprint(deps, user(request), request.body)),
  );
  app.get(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'Open sprints, soonest first (or the one of a chat card: message_id)',
        querystring: SprintListQuerySchema,
        response: { 200: Type.Array(SprintSchema), ...errorResponses() },
      },
    },
    async (request) => sprints.listSprints(deps, request.query),
  );
  app.get(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One sprint',
        params,
        response: { 200: SprintSchema, ...errorResponses('not_found') },
      },
    },
    async (request) => sprints.getSprint(deps, request.params.id),
  );
  app.post(
    '/:id/join',
    {
      schema: {
        tags,
        security,
        summary: 'Join: your timer runs with its label until its focus ends',
        params,
        response: { 200: SprintSchema, ...errorResponses('not_found', 'sprint_closed', 'sprint_full', 'rate_limited') },
      },
    },
    async (request) => sprints.joinSprint(deps, user(request), request.params.id),
  );
  app.post(
    '/:id/leave',
    {
      schema: {
        tags,
        security,
        summary: 'Leave: your run ends and is recorded as usual',
        params,
        response: { 200: SprintSchema, ...errorResponses('not_found', 'sprint_closed', 'rate_limited') },
      },
    },
    async (request) => sprints.leaveSprint(deps, user(request), request.params.id),
  );
  app.delete(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel a sprint you started, before it starts',
        params,
        response: { 204: Type.Null(), ...errorResponses('not_found', 'forbidden', 'sprint_closed') },
      },
    },
    async (request, reply) => {
      await sprints.cancelSprint(deps, user(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
