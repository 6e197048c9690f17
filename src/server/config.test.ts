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
      smtpUrl: null,
      mailFrom: 'CodeChicks <noreply@localhost>',
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
      SMTP_URL: 'smtps://mailer:secret@mail.example:465',
      MAIL_FROM: 'CodeChicks <noreply@chat.example>',
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
      smtpUrl: 'smtps://mailer:secret@mail.example:465',
      mailFrom: 'CodeChicks <noreply@chat.example>',
    });
  });

  it('checks the mail settings, and wants PUBLIC_URL and MAIL_FROM with SMTP in production', () => {
    expect(errorsOf({ SMTP_URL: 'http://mail.example' })).toEqual([expect.stringMatching(/^SMTP_URL must be/)]);
    expect(errorsOf({ MAIL_FROM: 'not an address' })).toEqual([expect.stringMatching(/^MAIL_FROM must be/)]);
    expect(errorsOf({ NODE_ENV: 'production', SECRET_KEY: SECRET, SMTP_URL: 'smtp://mail.example:25' })).toEqual([
      expect.stringMatching(/^PUBLIC_URL is required with SMTP_URL/),
      expect.stringMatching(/^MAIL_FROM is required/),
    ]);
    expect(errorsOf({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'noreply@example.org' })).toEqual([]);
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
});
