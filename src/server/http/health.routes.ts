import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

const tags = ['operations'];

export interface ReadinessChecks {
  database(): Promise<void>;
}

/** `/healthz`: the process answers. `/readyz`: it can reach what it depends on. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ checks: ReadinessChecks }> = async (app, { checks }) => {
  app.get(
    '/healthz',
    { schema: { tags, summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  const Readiness = Type.Object({ status: Type.String(), database: Type.String() });
  app.get(
    '/readyz',
    { schema: { tags, summary: 'The database (and bus) answer', response: { 200: Readiness, 503: Readiness } } },
    async (request, reply) => {
      try {
        await checks.database();
        return { status: 'ready', database: 'ok' };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database unreachable');
        return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
      }
    },
  );
};
