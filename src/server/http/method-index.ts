import type { FastifyInstance } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

const METHODS: HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Knows every route's methods, so an unmatched request can be told 405 instead of 404. */
export function createMethodIndex(app: FastifyInstance) {
  const router = FindMyWay({ ignoreTrailingSlash: true });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const known = METHODS.find((m) => m === method);
      if (known !== undefined && !router.hasRoute(known, route.url)) {
        router.on(known, route.url, () => undefined);
      }
    }
  });
  return {
    allowedFor(url: string): HTTPMethod[] {
      const pathOnly = url.split('?')[0] ?? url;
      return METHODS.filter((method) => router.find(method, pathOnly) !== null);
    },
  };
}
