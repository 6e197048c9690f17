import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminRoutes } from './admin/admin.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { activeSessions } from './auth/auth.service.js';
import { recoveryRoutes } from './auth/recovery.routes.js';
import type { RecoveryDeps } from './auth/recovery.service.js';
import { createTokenService } from './auth/tokens.js';
import type { Bus } from './bus/bus.js';
import { createSharedState } from './bus/shared-state.js';
import { createHub } from './realtime/hub.js';
import { handleUpgrades } from './realtime/upgrade.js';
import { chatRoutes } from './chat/chat.routes.js';
import { lastMessageIdBefore, shownName, type ChatDeps } from './chat/chat.service.js';
import { MAX_FRAME_BYTES, registerChatSocket } from './chat/chat.socket.js';
import { readingRoutes } from './chat/reading.routes.js';
import { scaledLimit, type Config, type TrustProxy } from './config.js';
import { systemClock, type AppContext, type Clock } from './context.js';
import type { DatabaseHandle } from './db/database.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { leaderboardRoutes } from './dashboard/leaderboard.routes.js';
import { registerBodyTimeout } from './http/body-timeout.js';
import { frameworkErrors, registerErrorHandling } from './http/error-handler.js';
import { createMailer } from './mail/mailer.js';
import { healthRoutes } from './http/health.routes.js';
import { acceptEmptyJsonBodies } from './http/json-body.js';
import { registerPages } from './http/pages.js';
import { documentCommonErrors } from './http/schema.js';
import { registerSecurity } from './http/security.js';
import { sessionPlugin } from './http/session.js';
import { validatorCompiler } from './http/validation.js';
import { createFlowSigner } from './oauth/flow-cookie.js';
import { oauthRoutes } from './oauth/oauth.routes.js';
import { createProviderClients } from './oauth/providers.js';
import { adminModerationRoutes, memberModerationRoutes } from './moderation/moderation.routes.js';
import type { ReportDeps } from './moderation/reports.service.js';
import { profileRoutes } from './profile/profile.routes.js';
import { createScheduler } from './scheduler/scheduler.js';
import { registerSprintJobs } from './sprints/sprints.service.js';
import { sprintRoutes } from './sprints/sprints.routes.js';
import { taskRoutes } from './tasks/tasks.routes.js';
import { focusOf, registerTimerJobs } from './timer/timer.service.js';
import { legacyTimerRoutes, timerRoutes } from './timer/timer.routes.js';
import { userRoutes } from './users/users.routes.js';

export interface AppDeps {
  /** An opened, migrated database; the app closes it when it closes. */
  database: DatabaseHandle;
  clock?: Clock;
  /** The event bus; in-process when not given. The app closes it when it closes. */
  bus?: Bus;
  /** Where the built pages are; tests of the API alone may point it anywhere. */
  webDir?: string;
  /** How long a request body may take to arrive (30 s); tests of the timeout shorten it. */
  requestTimeoutMs?: number;
}

export type App = FastifyInstance;

/** The composition root: builds every part from the config and wires them together. */
export async function buildApp(config: Config, options: AppDeps): Promise<App> {
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    genReqId: () => randomUUID(),
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 64 * 1024,
    frameworkErrors,
    // Headers must arrive within 30 s (bodies too: see body-timeout.ts). A socket silent for 75 s
    // is closed (longer than the 72 s keep-alive; WebSocket connections are never that silent:
    // the server pings every 30 s).
    requestTimeout: 30_000,
    connectionTimeout: 75_000,
    routerOptions: { ignoreTrailingSlash: true },
    // Plugins load files at start (Swagger UI); a busy machine must not fail the start.
    pluginTimeout: 30_000,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const shared = createSharedState(config, clock, app.log, options.bus);
  if (!(await shared.ready(3_000)))
    app.log.warn('Redis is not reachable yet: serving anyway, events stay on this instance');
  const { bus } = shared;
  const minute = 60_000;
  const perFactor = (limit: number) => scaledLimit(config, limit);
  const deps: AppContext = {
    config,
    db: options.database.db,
    clock,
    bus,
    tokens: createTokenService(config.secretKey, config.algorithm, config.accessTokenExpireMinutes, () => clock.now()),
    loginLimits: {
      perAccount: shared.limiter('login-account', perFactor(10), minute),
      perAddress: shared.limiter('login-address', perFactor(50), minute),
      attemptsPerAddress: shared.limiter('login-attempts-address', perFactor(60), minute),
    },
    actionLimits: {
      timerChanges: shared.limiter('timer-changes', perFactor(30), minute),
      messageEdits: shared.limiter('chat-edits', perFactor(20), minute),
      messageSends: [
        shared.limiter('chat-5s', perFactor(5), 5_000),
        shared.limiter('chat-minute', perFactor(30), minute),
      ],
    },
  };

  app.setValidatorCompiler(validatorCompiler);
  // The API speaks JSON (and the login form); a text/plain body is 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  acceptEmptyJsonBodies(app);
  registerErrorHandling(app, config.debug);
  documentCommonErrors(app);
  registerBodyTimeout(app, options.requestTimeoutMs ?? 30_000);
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  const scheduler = createScheduler({ db: deps.db, clock, bus, log: app.log });
  app.addHook('onReady', async () => scheduler.start());
  app.addHook('onClose', async () => {
    await scheduler.close();
    await bus.close();
    await options.database.close();
  });

  await registerSecurity(app, config, shared.rateLimitStore);
  await registerApiDocs(app);
  await app.register(sessionPlugin, { deps });

  const hub = createHub({
    bus,
    presence: shared.presence,
    clock,
    log: app.log,
    findActiveSessions: (userIds) => activeSessions(deps, userIds),
    loadFocus: (userId) => focusOf(deps, userId),
    lastMessageIdBefore: (epochMs) => lastMessageIdBefore(deps, epochMs),
    shownName,
    maxSocketsPerUser: perFactor(20),
    maxSocketsPerAddress: perFactor(200),
  });
  const chatDeps: ChatDeps = {
    ...deps,
    sendLimits: deps.actionLimits.messageSends,
    reactionLimits: [
      shared.limiter('reaction-5s', perFactor(10), 5_000),
      shared.limiter('reaction-minute', perFactor(60), minute),
    ],
    onlineUsers: () => hub.onlineUsers(),
  };
  const upgrades = handleUpgrades(app, { maxPayload: MAX_FRAME_BYTES });
  app.addHook('preClose', () => hub.close());

  await app.register(healthRoutes, { checks: { database: () => options.database.ping(), bus: () => bus.ping() } });
  await app.register(authRoutes, { deps, prefix: '/auth' });
  const mailer = createMailer(config, app.log);
  if (mailer !== null) {
    app.addHook('onClose', async () => mailer.close());
    const quarter = 15 * minute;
    const recoveryDeps: RecoveryDeps = {
      ...deps,
      mailer,
      log: app.log,
      limits: {
        perAddress: shared.limiter('recovery-address', perFactor(20), quarter),
        perAccount: shared.limiter('recovery-account', perFactor(5), quarter),
      },
    };
    await app.register(recoveryRoutes, { deps: recoveryDeps, prefix: '/auth' });
  }
  const oauthDeps = {
    ...deps,
    providers: createProviderClients(config.oauth, config.publicUrl),
    flows: createFlowSigner(config.secretKey, () => clock.now()),
  };
  await app.register(oauthRoutes, { deps: oauthDeps, config, prefix: '/auth' });
  await app.register(profileRoutes, { deps, prefix: '/api/profile' });
  const dashboardDeps = { ...deps, onlineUsers: () => hub.onlineUsers(), startedAt: clock.now() };
  await app.register(dashboardRoutes, { deps: dashboardDeps, prefix: '/api/dashboard' });
  await app.register(leaderboardRoutes, { deps, prefix: '/api/leaderboard' });
  await app.register(chatRoutes, { deps: chatDeps, prefix: '/api/chat' });
  await app.register(readingRoutes, { deps: chatDeps, prefix: '/api/chat' });
  await app.register(userRoutes, { deps, prefix: '/api/users' });
  await app.register(timerRoutes, { deps, prefix: '/api/timer' });
  const sprintDeps = {
    ...deps,
    createLimit: shared.limiter('sprint-create', perFactor(5), 60 * minute),
    joinLimit: shared.limiter('sprint-join', perFactor(20), minute),
  };
  await app.register(sprintRoutes, { deps: sprintDeps, prefix: '/api/sprints' });
  registerTimerJobs(scheduler, deps);
  registerSprintJobs(scheduler, sprintDeps);
  await app.register(taskRoutes, { deps, prefix: '/api/tasks' });
  await app.register(adminRoutes, { deps, prefix: '/api/admin' });
  const reportDeps: ReportDeps = { ...deps, reportLimit: shared.limiter('reports', perFactor(10), minute) };
  await app.register(memberModerationRoutes, { deps: reportDeps, prefix: '/api/chat' });
  await app.register(adminModerationRoutes, { deps: reportDeps, prefix: '/api/admin' });
  await app.register(legacyTimerRoutes, { deps, prefix: '/api' });
  await app.register(async (scope) => registerChatSocket(scope, chatDeps, hub, upgrades));
  await registerPages(app, options.webDir);
  return app;
}

/**
 * Fastify treats a bare hop count as "trust nobody" (it cannot check the peer), so a count becomes
 * what Express means by it: the nearest `hops` addresses (the socket's, then X-Forwarded-For's from
 * the right) are proxies, and the next one is the client.
 */
function trustProxyOption(trust: TrustProxy) {
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust === false ? false : [...trust];
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
