import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  FocusSessionSchema,
  LegacyTimerSchema,
  SessionIdParamsSchema,
  SessionPatchSchema,
  SessionsQuerySchema,
  StartTimerBodySchema,
  TimerStateSchema,
} from '../../protocol/timer.js';
import type { AppContext } from '../context.js';
import { errorResponses, SECURITY as security } from '../http/schema.js';
import { user } from '../http/session.js';
import * as timer from './timer.service.js';

const tags = ['timer'];
const state = { 200: TimerStateSchema, ...errorResponses() };
const change = { 200: TimerStateSchema, ...errorResponses('rate_limited') };

/** The focus timer, under /api/timer. */
export const timerRoutes: FastifyPluginAsyncTypebox<{ deps: AppContext }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);

  app.get('/', { schema: { tags, security, summary: 'Your timer', response: state } }, async (request) =>
    timer.getTimer(deps, user(request).id),
  );
  app.post(
    '/start',
    {
      schema: {
        tags,
        security,
        summary: 'Start or resume (already running: unchanged)',
        body: StartTimerBodySchema,
        // Announced: the check-in takes a message slot (slow mode and timeouts apply).
        response: { 200: TimerStateSchema, ...errorResponses('rate_limited', 'slow_mode', 'timed_out') },
      },
    },
    async (request) => timer.startTimer(deps, user(request).id, request.body),
  );
  app.post(
    '/pause',
    { schema: { tags, security, summary: 'End the current run (recorded)', response: change } },
    async (request) => timer.pauseTimer(deps, user(request).id),
  );
  app.post(
    '/reset',
    { schema: { tags, security, summary: 'Back to idle (recorded runs stay)', response: change } },
    async (request) => timer.resetTimer(deps, user(request).id),
  );

  app.get(
    '/sessions',
    {
      schema: {
        tags,
        security,
        summary: 'Your recorded runs overlapping [from, to), newest first',
        querystring: SessionsQuerySchema,
        response: { 200: Type.Array(FocusSessionSchema), ...errorResponses() },
      },
    },
    async (request) => timer.listSessions(deps, user(request).id, request.query),
  );
  app.patch(
    '/sessions/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Relabel one of your runs',
        params: SessionIdParamsSchema,
        body: SessionPatchSchema,
        response: { 200: FocusSessionSchema, ...errorResponses('not_found') },
      },
    },
    async (request) => timer.relabelSession(deps, user(request).id, request.params.id, request.body.label),
  );
  app.delete(
    '/sessions/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Remove one of your runs',
        params: SessionIdParamsSchema,
        response: { 204: Type.Null(), ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await timer.deleteSession(deps, user(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/sessions.csv',
    { schema: { tags, security, summary: 'Your runs as CSV (UTC and local times)', produces: ['text/csv'] } },
    async (request, reply) =>
      reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="codechicks-focus-sessions.csv"')
        .send(await timer.sessionsCsv(deps, user(request).id)),
  );
};

/** The earlier version's stopwatch routes, now per user: `{elapsed_time, is_running}`. */
export const legacyTimerRoutes: FastifyPluginAsyncTypebox<{ deps: AppContext }> = async (app, { deps }) => {
  app.addHook('onRequest', app.requireUser);
  const legacy = { tags: ['timer (earlier API)'], security };
  const legacyChange = { ...legacy, response: { 200: LegacyTimerSchema, ...errorResponses('rate_limited') } };
  app.post('/start', { schema: { ...legacyChange, summary: 'Start or resume' } }, async (request) =>
    timer.toLegacy(await timer.startTimer(deps, user(request).id)),
  );
  app.post('/stop', { schema: { ...legacyChange, summary: 'Pause' } }, async (request) =>
    timer.toLegacy(await timer.pauseTimer(deps, user(request).id)),
  );
  app.post('/reset', { schema: { ...legacyChange, summary: 'Reset' } }, async (request) =>
    timer.toLegacy(await timer.resetTimer(deps, user(request).id)),
  );
  const legacyRead = { ...legacy, response: { 200: LegacyTimerSchema, ...errorResponses() } };
  app.get(
    '/status',
    { schema: { ...legacyRead, summary: 'Elapsed milliseconds and whether it runs' } },
    async (request) => timer.toLegacy(await timer.getTimer(deps, user(request).id)),
  );
};
