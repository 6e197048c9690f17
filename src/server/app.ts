import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { authRoutes } from './auth/auth.routes.js';
import { createTokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import { systemClock, type AppContext, type Clock } from './context.js';
import type { DatabaseHandle } from './db/database.js';
import { createAttemptLimiter } from './http/attempt-limiter.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { registerErrorHandling } from './http/error-handler.js';
import { healthRoutes } from './http/health.routes.js';
import { registerPages } from './http/pages.js';
import { registerSecurity } from './http/security.js';
import { sessionPlugin } from './http/session.js';
import { validatorCompiler } from './http/validation.js';
import { profileRoutes } from './profile/profile.routes.js';

export interface AppDeps {
  /** An opened, migrated database; the app closes it when it closes. */
  database: DatabaseHandle;
  clock?: Clock;
  /** Where the built pages are; tests of the API alone may point it anywhere. */
  webDir?: string;
}

export type App = FastifyInstance;

/** The composition root: builds every part from the config and wires them together. */
export async function buildApp(config: Config, deps: AppDeps): Promise<App> {
  if (config.secretKey === null) throw new Error('buildApp needs a SECRET_KEY (see resolveSecretKey)');
  const clock = deps.clock ?? systemClock;
  const minute = 60_000;
  const ctx: AppContext = {
    config,
    db: deps.database.db,
    clock,
    tokens: createTokenService(config.secretKey, config.algorithm, config.accessTokenExpireMinutes, () => clock.now()),
    loginLimits: {
      perAccount: createAttemptLimiter(Math.max(1, Math.round(10 * config.rateLimitFactor)), minute, clock),
      perAddress: createAttemptLimiter(Math.max(1, Math.round(50 * config.rateLimitFactor)), minute, clock),
    },
  };

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 64 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app, config.debug);
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.addHook('onClose', () => deps.database.close());

  await registerSecurity(app, config);
  await registerApiDocs(app);
  await app.register(sessionPlugin, { ctx });

  await app.register(healthRoutes, { checks: { database: () => deps.database.ping() } });
  await app.register(authRoutes, { ctx, prefix: '/auth' });
  await app.register(profileRoutes, { ctx, prefix: '/api/profile' });
  await app.register(dashboardRoutes, { ctx, prefix: '/api/dashboard' });
  await registerPages(app, deps.webDir);
  return app;
}

async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'CodeChicks API', version: '0.1.0', description: 'Community chat, focus timer and dashboard.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          password: { type: 'oauth2', flows: { password: { tokenUrl: '/auth/login', scopes: {} } } },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiHooks: {
      // Swagger UI styles its widgets inline; only these pages get that allowance.
      preHandler: (_request, reply, done) => {
        reply.header(
          'Content-Security-Policy',
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
        );
        done();
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
