import { describe, expect, it } from 'vitest';
import { loadConfig, type Env } from './config.js';

const SECRET = 'k'.repeat(32);

function errorsOf(env: Env): readonly string[] {
  const result = loadConfig(env);
  return result.ok ? [] : result.errors;
}

describe('loadConfig', () => {
  it('has safe development defaults', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      production: false,
      debug: false,
      secretKey: null,
      algorithm: 'HS256',
      accessTokenExpireMinutes: 30,
      redisUrl: null,
      corsOrigins: [],
      trustProxy: false,
      logLevel: 'info',
      chatEditWindowMinutes: 15,
      maxRunHours: 8,
      rateLimitFactor: 1,
    });
    expect(result.config.databaseUrl).toMatch(/^sqlite:.*data\/codechicks\.db$/);
    expect(Object.isFrozen(result.config)).toBe(true);
  });

  it('reads every variable', () => {
    const result = loadConfig({
      HOST: '0.0.0.0',
      PORT: '9000',
      NODE_ENV: 'production',
      DEBUG: 'false',
      SECRET_KEY: SECRET,
      ALGORITHM: 'HS512',
      ACCESS_TOKEN_EXPIRE_MINUTES: '60',
      DATABASE_URL: 'postgres://u:p@db:5432/cc',
      REDIS_URL: 'redis://cache:6379',
      CORS_ORIGINS: 'https://a.example, https://b.example/',
      PUBLIC_URL: 'https://chat.example/',
      TRUST_PROXY: 'true',
      DATA_DIR: '/var/lib/codechicks',
      LOG_LEVEL: 'warn',
      CHAT_EDIT_WINDOW_MINUTES: '5',
      MAX_RUN_HOURS: '4',
      RATE_LIMIT_FACTOR: '2.5',
    });
    expect(result.ok && result.config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      production: true,
      secretKey: SECRET,
      algorithm: 'HS512',
      accessTokenExpireMinutes: 60,
      databaseUrl: 'postgres://u:p@db:5432/cc',
      redisUrl: 'redis://cache:6379',
      corsOrigins: ['https://a.example', 'https://b.example'],
      publicUrl: 'https://chat.example',
      trustProxy: true,
      dataDir: '/var/lib/codechicks',
      logLevel: 'warn',
      chatEditWindowMinutes: 5,
      maxRunHours: 4,
      rateLimitFactor: 2.5,
    });
  });

  it('names each bad variable in one line', () => {
    const errors = errorsOf({
      PORT: 'eighty',
      DEBUG: 'maybe',
      ALGORITHM: 'none',
      ACCESS_TOKEN_EXPIRE_MINUTES: '0',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
      CORS_ORIGINS: 'not a url',
      LOG_LEVEL: 'loud',
      MAX_RUN_HOURS: '100',
      RATE_LIMIT_FACTOR: '-1',
      TRUST_PROXY: 'sometimes',
    });
    const named = [
      'PORT',
      'DEBUG',
      'ALGORITHM',
      'ACCESS_TOKEN_EXPIRE_MINUTES',
      'DATABASE_URL',
      'REDIS_URL',
      'CORS_ORIGINS',
      'LOG_LEVEL',
      'MAX_RUN_HOURS',
      'RATE_LIMIT_FACTOR',
      'TRUST_PROXY',
    ];
    expect(errors).toHaveLength(named.length);
    for (const name of named) expect(errors.some((e) => e.startsWith(name + ' '))).toBe(true);
    for (const error of errors) expect(error).not.toContain('\n');
  });

  it('refuses production without a strong SECRET_KEY, with DEBUG, or with the placeholder', () => {
    expect(errorsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^SECRET_KEY is required/)]);
    expect(errorsOf({ NODE_ENV: 'production', SECRET_KEY: 'short' })).toEqual([
      expect.stringMatching(/^SECRET_KEY must be at least 32 bytes/),
    ]);
    expect(errorsOf({ NODE_ENV: 'production', SECRET_KEY: 'change-me-' + 'x'.repeat(30) })).toEqual([
      expect.stringMatching(/placeholder/),
    ]);
    expect(errorsOf({ NODE_ENV: 'production', SECRET_KEY: SECRET, DEBUG: 'true' })).toEqual([
      expect.stringMatching(/^DEBUG must be false/),
    ]);
    expect(errorsOf({ NODE_ENV: 'development', DEBUG: 'true' })).toEqual([]);
  });

  it('points MONGODB_URI users to the import guide', () => {
    expect(errorsOf({ MONGODB_URI: 'mongodb://localhost:27017' })).toEqual([
      expect.stringContaining('docs/migrating-from-python.md'),
    ]);
  });

  it('refuses * mixed with listed origins', () => {
    expect(errorsOf({ CORS_ORIGINS: '*, https://a.example' })).toEqual([expect.stringMatching(/^CORS_ORIGINS/)]);
    expect(loadConfig({ CORS_ORIGINS: '*' })).toMatchObject({ ok: true, config: { corsOrigins: ['*'] } });
  });

  describe('sign-in providers', () => {
    const PUBLIC_URL = 'https://chat.example';

    it('are off unless both client id and secret are set', () => {
      expect(loadConfig({})).toMatchObject({ ok: true, config: { oauth: { github: null, google: null, oidc: null } } });
      expect(errorsOf({ GITHUB_CLIENT_ID: 'id', PUBLIC_URL })).toEqual([
        'GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set (set both, or neither).',
      ]);
      expect(errorsOf({ GOOGLE_CLIENT_SECRET: 'secret', PUBLIC_URL })).toEqual([
        'GOOGLE_CLIENT_ID is required when GOOGLE_CLIENT_SECRET is set (set both, or neither).',
      ]);
    });

    it('read GitHub and Google with their public defaults, and overrides for tests and GitHub Enterprise', () => {
      const defaults = loadConfig({
        PUBLIC_URL,
        GITHUB_CLIENT_ID: 'gh-id',
        GITHUB_CLIENT_SECRET: 'gh-secret',
        GOOGLE_CLIENT_ID: 'g-id',
        GOOGLE_CLIENT_SECRET: 'g-secret',
      });
      expect(defaults.ok && defaults.config.oauth).toEqual({
        github: {
          clientId: 'gh-id',
          clientSecret: 'gh-secret',
          oauthUrl: 'https://github.com',
          apiUrl: 'https://api.github.com',
        },
        google: { clientId: 'g-id', clientSecret: 'g-secret', issuer: 'https://accounts.google.com', name: 'Google' },
        oidc: null,
      });
      const overridden = loadConfig({
        PUBLIC_URL,
        GITHUB_CLIENT_ID: 'gh-id',
        GITHUB_CLIENT_SECRET: 'gh-secret',
        GITHUB_OAUTH_URL: 'https://git.example/',
        GITHUB_API_URL: 'http://127.0.0.1:9999/api/v3',
        GOOGLE_CLIENT_ID: 'g-id',
        GOOGLE_CLIENT_SECRET: 'g-secret',
        GOOGLE_ISSUER: 'http://localhost:4000',
      });
      expect(overridden.ok && overridden.config.oauth).toMatchObject({
        github: { oauthUrl: 'https://git.example', apiUrl: 'http://127.0.0.1:9999/api/v3' },
        google: { issuer: 'http://localhost:4000' },
      });
    });

    it('read any OpenID provider by issuer URL, named by OIDC_NAME', () => {
      const result = loadConfig({
        PUBLIC_URL,
        OIDC_ISSUER: 'https://id.example/realms/devs',
        OIDC_CLIENT_ID: 'cc',
        OIDC_CLIENT_SECRET: 's',
        OIDC_NAME: 'Keycloak',
      });
      expect(result.ok && result.config.oauth.oidc).toEqual({
        issuer: 'https://id.example/realms/devs',
        clientId: 'cc',
        clientSecret: 's',
        name: 'Keycloak',
      });
      const unnamed = loadConfig({
        PUBLIC_URL,
        OIDC_ISSUER: 'https://id.example',
        OIDC_CLIENT_ID: 'a',
        OIDC_CLIENT_SECRET: 'b',
      });
      expect(unnamed.ok && unnamed.config.oauth.oidc?.name).toBe('Single sign-on');
    });

    it('name each bad value in one line', () => {
      const errors = errorsOf({
        GITHUB_CLIENT_ID: 'a',
        GITHUB_CLIENT_SECRET: 'b',
        GITHUB_OAUTH_URL: 'http://github.example',
        OIDC_ISSUER: 'ftp://id.example',
        OIDC_CLIENT_ID: 'a',
        OIDC_CLIENT_SECRET: 'b',
        OIDC_NAME: 'n'.repeat(41),
      });
      expect(errors).toEqual([
        'OIDC_ISSUER must be an https:// URL (http:// only for 127.0.0.1 or localhost).',
        'OIDC_NAME must be at most 40 characters (got 41).',
        'GITHUB_OAUTH_URL must be an https:// URL (http:// only for 127.0.0.1 or localhost).',
        expect.stringMatching(/^PUBLIC_URL is required when a sign-in provider is on/),
      ]);
      expect(errorsOf({ OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b', PUBLIC_URL })).toEqual([
        'OIDC_ISSUER is required when OIDC_CLIENT_ID is set.',
      ]);
      expect(errorsOf({ OIDC_ISSUER: 'https://id.example' })).toEqual([
        'OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required when OIDC_ISSUER is set.',
      ]);
    });
  });
});
