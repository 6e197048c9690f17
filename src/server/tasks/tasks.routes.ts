import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CHANGE_ID_HEADER,
  ChangeHeadersSchema,
  NewTaskBodySchema,
  TaskIdParamsSchema,
  TaskListSchema,
  TaskOrderBodySchema,
  TaskPatchSchema,
  TaskSchema,
} from '../../protocol/tasks.js';
import type { AppContext } from '../context.js';
import { errorResponses, SECURITY as security } from '../http/schema.js';
import { user } from '../http/session.js';
import * as tasks from './tasks.service.js';

const tags = ['tasks'];

/** The page's id for this change, given back in the `tasks.updated` it causes. */
const changeOf = (request: { headers: { [CHANGE_ID_HEADER]?: string } }) => request.headers[CHANGE_ID_HEADER] ?? null;

/** Today's goals, a personal list under /api/tasks: nobody sees or changes another's. */
export const taskRoutes: FastifyPluginAsyncTypebox<{ deps: AppContext }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);
  app.get(
    '/',
    { schema: { tags, security, summary: 'Your goals', response: { 200: TaskListSchema, ...errorResponses() } } },
    async (request) => tasks.listTasks(deps, user(request).id),
  );
  app.post(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'Add a goal (at most 50 open)',
        body: NewTaskBodySchema,
        headers: ChangeHeadersSchema,
        response: { 201: TaskSchema, ...errorResponses('too_many_tasks') },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await tasks.addTask(deps, user(request).id, request.body, changeOf(request))),
  );
  app.put(
    '/order',
    {
      schema: {
        tags,
        security,
        summary: 'Reorder your open goals',
        body: TaskOrderBodySchema,
        headers: ChangeHeadersSchema,
        response: { 200: TaskListSchema, ...errorResponses('bad_order') },
      },
    },
    async (request) => tasks.reorderTasks(deps, user(request).id, request.body, changeOf(request)),
  );
  app.patch(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Rename, tick (optionally posting a check-in) or untick a goal',
        params: TaskIdParamsSchema,
        body: TaskPatchSchema,
        headers: ChangeHeadersSchema,
        response: {
          200: TaskSchema,
          ...errorResponses('not_found', 'too_many_tasks', 'rate_limited', 'slow_mode', 'timed_out'),
        },
      },
    },
    async (request) => tasks.changeTask(deps, user(request).id, request.params.id, request.body, changeOf(request)),
  );
  app.delete(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a goal',
        params: TaskIdParamsSchema,
        headers: ChangeHeadersSchema,
        response: { 204: Type.Null(), ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await tasks.deleteTask(deps, user(request).id, request.params.id, changeOf(request));
      return reply.code(204).send(null);
    },
  );
};
