import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { scaledLimit, type Config } from '../config.js';
import { registerCsrfCheck } from './csrf.js';
import { tooManyRequests } from './errors.js';
import { sessionCookieName } from './session.js';

/** The page CSP: nothing inline, nothing from another host except avatar images. */
export const PAGE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'https:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export async function registerSecurity(
  app: FastifyInstance,
  config: Config,
  store: FastifyRateLimitStoreCtor | undefined,
): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...PAGE_CSP, ...(config.production ? { upgradeInsecureRequests: [] } : {}) },
    },
    // The pages load nothing cross-origin that would need these relaxed.
    crossOriginEmbedderPolicy: false,
    // HSTS pins a host to HTTPS for a year: only where production runs behind TLS.
    strictTransportSecurity: config.production,
  });

  // Empty CORS_ORIGINS: same origin only. `*`: anyone may read, but never with credentials.
  if (config.corsOrigins.length > 0) {
    const wildcard = config.corsOrigins.includes('*');
    await app.register(cors, {
      origin: wildcard ? '*' : [...config.corsOrigins],
      credentials: !wildcard,
      methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    });
  }

  await app.register(cookie);
  // After the cookie parser: the check needs to know whether the session cookie came along.
  registerCsrfCheck(app, config, sessionCookieName(config.production));
  await app.register(rateLimit, {
    global: false,
    // Shared by every instance when REDIS_URL is set; during a Redis outage each instance counts alone.
    ...(store === undefined ? {} : { store }),
    errorResponseBuilder: (_request, context) => tooManyRequests(Math.max(1, Math.ceil(context.ttl / 1000))),
  });
}

/** Route config for @fastify/rate-limit: `limit` requests a minute per address, scaled by RATE_LIMIT_FACTOR. */
export function perMinutePerAddress(config: Config, limit: number) {
  return { rateLimit: { max: scaledLimit(config, limit), timeWindow: 60_000 } };
}
