import type { ServerLimits } from '../protocol/limits.js';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseEnv } from 'node:util';

/** The validated configuration, its secret key resolved. Nothing else in the server reads `process.env`. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly production: boolean;
  readonly debug: boolean;
  readonly secretKey: string;
  readonly algorithm: JwtAlgorithm;
  readonly accessTokenExpireMinutes: number;
  /** `sqlite:<file>` or `postgres://…`; defaults to `<DATA_DIR>/codechicks.db`. */
  readonly databaseUrl: string;
  readonly redisUrl: string | null;
  /** Empty: same origin only. `['*']`: any origin, never with credentials. */
  readonly corsOrigins: readonly string[];
  readonly publicUrl: string | null;
  /** false, the number of proxy hops in front, or the proxies' addresses/CIDRs (Fastify's `trustProxy`). */
  readonly trustProxy: TrustProxy;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  readonly chatEditWindowMinutes: number;
  readonly maxRunHours: number;
  readonly rateLimitFactor: number;
  /** `smtp://` or `smtps://` URL of the mail server; null: no mail (see docs/configuration.md). */
  readonly smtpUrl: string | null;
  /** The sender of the mails, e.g. `CodeChicks <noreply@chat.example.org>`. */
  readonly mailFrom: string;
  /** Sign-in providers that are on (client id and secret set); null when off. */
  readonly oauth: OAuthConfig;
}

export interface OAuthConfig {
  readonly github: GithubConfig | null;
  readonly google: OidcProviderConfig | null;
  readonly oidc: OidcProviderConfig | null;
}

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface GithubConfig extends OAuthClient {
  /** Where the sign-in pages and token endpoint are (github.com, or a GitHub Enterprise server). */
  readonly oauthUrl: string;
  readonly apiUrl: string;
}

export interface OidcProviderConfig extends OAuthClient {
  readonly issuer: string;
  /** The name on the button ("Google", or OIDC_NAME). */
  readonly name: string;
}

export type TrustProxy = false | number | readonly string[];
export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * What `loadConfig` reads: without SECRET_KEY (development only) the key is null until
 * `resolveSecretKey` (secret-key.ts) loads or makes the one kept in the data folder.
 */
export type LoadedConfig = Omit<Config, 'secretKey'> & { readonly secretKey: string | null };

export type ConfigResult =
  { readonly ok: true; readonly config: LoadedConfig } | { readonly ok: false; readonly errors: readonly string[] };

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'HS384', 'HS512'];
/** Values shipped in `.env.example` or the Python version's docs: never accepted in production. */
const PLACEHOLDER_SECRETS = ['change-me', 'changeme', 'your-secret-key', 'supersecretadminkey'];
export const MIN_SECRET_BYTES = 32;

/** A limit of this contract scaled by RATE_LIMIT_FACTOR (never below 1). */
export function scaledLimit(config: Pick<Config, 'rateLimitFactor'>, limit: number): number {
  return Math.max(1, Math.round(limit * config.rateLimitFactor));
}

/** Reads the variables of a `.env` file (if any) under the real environment, which wins. */
export function readEnvironment(envFile = '.env'): Env {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/** Validates every variable and reports each bad one in one line naming it. Pure: no I/O. */
export function loadConfig(env: Env): ConfigResult {
  const errors: string[] = [];
  const read = new Reader(env, errors);

  if (nonEmpty(env.MONGODB_URI)) {
    errors.push(
      'MONGODB_URI is set, but CodeChicks now stores its data in SQL (SQLite or PostgreSQL): ' +
        'unset it and see docs/migrating-from-python.md to bring your MongoDB data across.',
    );
  }

  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const production = nodeEnv === 'production';
  const debug = read.boolean('DEBUG', false);
  const dataDir = path.resolve(env.DATA_DIR?.trim() || './data');
  const secretKey = nonEmpty(env.SECRET_KEY) ? env.SECRET_KEY : null;
  const corsOrigins = read.origins('CORS_ORIGINS');

  const config: LoadedConfig = {
    host: env.HOST?.trim() || '127.0.0.1',
    port: read.integer('PORT', 8000, 0, 65535),
    production,
    debug,
    secretKey,
    algorithm: read.oneOf('ALGORITHM', ALGORITHMS, 'HS256'),
    accessTokenExpireMinutes: read.integer('ACCESS_TOKEN_EXPIRE_MINUTES', 30, 1, 60 * 24 * 30),
    databaseUrl: read.databaseUrl('DATABASE_URL', path.join(dataDir, 'codechicks.db')),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    corsOrigins,
    publicUrl: read.url('PUBLIC_URL', ['http:', 'https:']),
    trustProxy: read.trustProxy('TRUST_PROXY'),
    dataDir,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    chatEditWindowMinutes: read.integer('CHAT_EDIT_WINDOW_MINUTES', 15, 0, 60 * 24 * 7),
    maxRunHours: read.integer('MAX_RUN_HOURS', 8, 1, 24),
    rateLimitFactor: read.number('RATE_LIMIT_FACTOR', 1, 0.01, 1000),
    smtpUrl: read.url('SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM?.trim() || 'CodeChicks <noreply@localhost>',
    oauth: readOAuth(read, errors),
  };

  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    errors.push(`NODE_ENV must be development, production or test (got "${nodeEnv}").`);
  }
  if (secretKey !== null && Buffer.byteLength(secretKey) < MIN_SECRET_BYTES) {
    errors.push(`SECRET_KEY must be at least ${MIN_SECRET_BYTES} bytes long (e.g. openssl rand -hex 32).`);
  }
  if (production) {
    if (secretKey === null) {
      errors.push('SECRET_KEY is required when NODE_ENV=production (generate one with openssl rand -hex 32).');
    } else if (PLACEHOLDER_SECRETS.some((p) => secretKey.toLowerCase().includes(p))) {
      errors.push('SECRET_KEY still holds the placeholder from .env.example: generate a real one.');
    }
    if (debug) errors.push('DEBUG must be false when NODE_ENV=production: it leaks internals in error answers.');
  }
  if (nonEmpty(env.MAIL_FROM) && !/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(env.MAIL_FROM.trim())) {
    errors.push(
      'MAIL_FROM must be an address, e.g. noreply@chat.example.org or CodeChicks <noreply@chat.example.org>.',
    );
  }
  if (production && config.smtpUrl !== null) {
    if (config.publicUrl === null) errors.push('PUBLIC_URL is required with SMTP_URL in production: mails link to it.');
    if (!nonEmpty(env.MAIL_FROM)) errors.push('MAIL_FROM is required with SMTP_URL in production.');
  }
  const anyProvider = Object.values(config.oauth).some((provider) => provider !== null);
  if (anyProvider && config.publicUrl === null) {
    errors.push(
      'PUBLIC_URL is required when a sign-in provider is on: the providers send people back to PUBLIC_URL/auth/<provider>/callback.',
    );
  }
  if (corsOrigins.includes('*') && corsOrigins.length > 1) {
    errors.push('CORS_ORIGINS is either * alone or a list of origins, not both.');
  }

  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: Object.freeze(config) };
}

/** An IP address, a CIDR (`10.0.0.0/8`, `fd00::/8`), or one of proxy-addr's names (`loopback`, …). */
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function readOAuth(read: Reader, errors: string[]): OAuthConfig {
  const github = read.client('GITHUB');
  const google = read.client('GOOGLE');
  const oidc = read.client('OIDC');
  const errorsBefore = errors.length;
  const oidcIssuer = read.issuer('OIDC_ISSUER', null);
  const badIssuer = errors.length > errorsBefore;
  if (oidc !== null && oidcIssuer === null && !badIssuer)
    errors.push('OIDC_ISSUER is required when OIDC_CLIENT_ID is set.');
  if (oidc === null && oidcIssuer !== null && !errors.some((e) => e.startsWith('OIDC_CLIENT')))
    errors.push('OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required when OIDC_ISSUER is set.');
  const oidcName = read.text('OIDC_NAME', 'Single sign-on', 40);
  return {
    github: github && {
      ...github,
      oauthUrl: read.issuer('GITHUB_OAUTH_URL', 'https://github.com') ?? 'https://github.com',
      apiUrl: read.issuer('GITHUB_API_URL', 'https://api.github.com') ?? 'https://api.github.com',
    },
    google: google && {
      ...google,
      issuer: read.issuer('GOOGLE_ISSUER', 'https://accounts.google.com') ?? 'https://accounts.google.com',
      name: 'Google',
    },
    oidc: oidc && oidcIssuer !== null ? { ...oidc, issuer: oidcIssuer, name: oidcName } : null,
  };
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** Reads one variable at a time, recording a one-line error and returning the default when bad. */
class Reader {
  constructor(
    private readonly env: Env,
    private readonly errors: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.errors.push(`${name} must be true or false (got "${value}").`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
      this.errors.push(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
      return fallback;
    }
    return parsed;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      this.errors.push(`${name} must be a number from ${min} to ${max} (got "${value}").`);
      return fallback;
    }
    return parsed;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (match === undefined) {
      this.errors.push(`${name} must be one of ${allowed.join(', ')} (got "${value}").`);
      return fallback;
    }
    return match;
  }

  url(name: string, protocols: readonly string[]): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) {
      this.errors.push(`${name} must be a ${protocols.map((p) => p + '//…').join(' or ')} URL.`);
      return null;
    }
    return value.replace(/\/+$/, '');
  }

  /** `<PREFIX>_CLIENT_ID` and `<PREFIX>_CLIENT_SECRET`: both set (on), both unset (off), else an error. */
  client(prefix: string): OAuthClient | null {
    const clientId = this.raw(`${prefix}_CLIENT_ID`);
    const clientSecret = this.raw(`${prefix}_CLIENT_SECRET`);
    if (clientId === undefined && clientSecret === undefined) return null;
    if (clientId === undefined || clientSecret === undefined) {
      const [missing, present] =
        clientId === undefined ? ['CLIENT_ID', 'CLIENT_SECRET'] : ['CLIENT_SECRET', 'CLIENT_ID'];
      this.errors.push(`${prefix}_${missing} is required when ${prefix}_${present} is set (set both, or neither).`);
      return null;
    }
    return { clientId, clientSecret };
  }

  /** An https URL; plain http only on this machine (a test or development provider). */
  issuer(name: string, fallback: string | null): string | null {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    const loopback = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url === undefined || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
      this.errors.push(`${name} must be an https:// URL (http:// only for 127.0.0.1 or localhost).`);
      return fallback;
    }
    return value.replace(/\/+$/, '');
  }

  text(name: string, fallback: string, maxLength: number): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value.length > maxLength) {
      this.errors.push(`${name} must be at most ${maxLength} characters (got ${value.length}).`);
      return fallback;
    }
    return value;
  }

  databaseUrl(name: string, defaultFile: string): string {
    const value = this.raw(name);
    if (value === undefined) return `sqlite:${defaultFile}`;
    if (value.startsWith('sqlite:')) {
      if (value.length > 'sqlite:'.length) return value;
    } else if (URL.canParse(value) && ['postgres:', 'postgresql:'].includes(new URL(value).protocol)) {
      return value;
    }
    this.errors.push(`${name} must be sqlite:<file> or postgres://user:password@host:port/database.`);
    return `sqlite:${defaultFile}`;
  }

  /**
   * `false`, a hop count, or the proxies' addresses. Never `true`: trusting every hop lets a
   * client pick its own address by sending X-Forwarded-For, and defeat every per-address limit.
   */
  trustProxy(name: string): TrustProxy {
    const value = this.raw(name);
    if (value === undefined || ['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
    if (['true', 'yes', 'on'].includes(value.toLowerCase())) {
      this.errors.push(
        `${name}=${value} would trust every hop, so clients could fake their address: set the number of proxies in front (e.g. 1) or their addresses (e.g. 10.0.0.0/8,127.0.0.1).`,
      );
      return false;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= 10) return hops;
    }
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isProxyAddress)) return Object.freeze(entries);
    this.errors.push(
      `${name} must be false, a number of proxies from 1 to 10, or comma-separated proxy addresses or CIDRs such as 10.0.0.0/8,127.0.0.1 (got "${value}").`,
    );
    return false;
  }

  origins(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const origins = value
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter((o) => o !== '');
    for (const origin of origins) {
      if (origin === '*') continue;
      if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
        this.errors.push(
          `${name} must list origins such as https://chat.example.org, comma-separated (got "${origin}").`,
        );
      }
    }
    return origins;
  }
}

/** The configured limits the pages follow (in `hello` and `/auth/me`). */
export function serverLimits(config: Pick<Config, 'chatEditWindowMinutes' | 'maxRunHours'>): ServerLimits {
  return { edit_window_minutes: config.chatEditWindowMinutes, max_run_hours: config.maxRunHours };
}
