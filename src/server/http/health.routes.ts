import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';

const tags = ['operations'];

export interface ReadinessChecks {
  database: () => Promise<void>;
  bus: () => Promise<void>;
}

/** `/healthz`: the process answers. `/readyz`: it can reach what it depends on. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ checks: ReadinessChecks }> = async (app, { checks }) => {
  app.get(
    '/healthz',
    { schema: { tags, summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  const Readiness = Type.Object({ status: Type.String(), database: Type.String(), bus: Type.String() });
  app.get(
    '/readyz',
    { schema: { tags, summary: 'The database and the bus answer', response: { 200: Readiness, 503: Readiness } } },
    async (request, reply) => {
      const [database, bus] = await Promise.all([
        probe(request, 'database', checks.database),
        probe(request, 'bus', checks.bus),
      ]);
      const ready = database === 'ok' && bus === 'ok';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', database, bus });
    },
  );
};

async function probe(request: FastifyRequest, name: string, check: () => Promise<void>): Promise<string> {
  try {
    await check();
    return 'ok';
  } catch (error) {
    request.log.warn({ err: error }, `readiness: ${name} unreachable`);
    return 'unreachable';
  }
}
