import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadApiConfig, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('defaults to SQLite and local files under DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/h' });
    expect(config.database).toEqual({ kind: 'sqlite', file: '/tmp/h/harmonizer.sqlite' });
    expect(config.storageDir).toBe('/tmp/h/files');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.port).toBe(8080);
  });

  it('chooses Postgres for a postgres:// URL and keeps the schema', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', DATABASE_SCHEMA: 'run_1' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db', schema: 'run_1' });
  });

  it('accepts sqlite: URLs relative to the working directory', () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite:x/y.db' });
    expect(config.database).toEqual({ kind: 'sqlite', file: path.resolve('x/y.db') });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' }).port).toBe(8080);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', MAX_UPLOAD_BYTES: '-1', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'MAX_UPLOAD_BYTES', 'DATABASE_URL', 'LOG_LEVEL']) expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(4);
  });
});

describe('auth, limits and retention settings', () => {
  const hs = { JWT_SECRET: 's'.repeat(32), JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'harmonizer' };

  it('requires auth by default; the api refuses to start without a key source, the worker does not care', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'required', jwt: null });
    expect(() => loadApiConfig({})).toThrow(/JWT_SECRET .*AUTH_MODE=none/s);
    expect(loadApiConfig({ AUTH_MODE: 'none' }).auth).toEqual({ mode: 'none', tenantId: 'local' });
  });

  it('derives the algorithm allow-list from the key source and checks it against it', () => {
    const jwt = loadApiConfig(hs).auth;
    expect(jwt.mode === 'required' && jwt.jwt?.algorithms).toEqual(['HS256']);
    const rs = loadApiConfig({ ...hs, JWT_SECRET: '', JWT_JWKS_FILE: 'keys.json' }).auth;
    expect(rs.mode === 'required' && rs.jwt?.algorithms).toEqual(['RS256', 'ES256']);
    expect(() => loadConfig({ ...hs, JWT_ALGORITHMS: 'RS256' })).toThrow(/RS256 and ES256 need/);
    expect(() => loadConfig({ ...hs, JWT_ALGORITHMS: 'none' })).toThrow(/JWT_ALGORITHMS/);
  });

  it('needs issuer and audience, and never echoes the secret', () => {
    let error: unknown;
    try {
      loadConfig({ JWT_SECRET: 'short-secret-value' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as ConfigError).message)).toMatch(/JWT_SECRET/);
    expect(String((error as ConfigError).message)).not.toContain('short-secret-value');
    expect(() => loadConfig({ JWT_SECRET: 's'.repeat(32) })).toThrow(/JWT_ISSUER[\s\S]*JWT_AUDIENCE/);
  });

  it('parses CORS origins, limits and retention durations', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://a.example, http://localhost:3000',
      UPLOAD_RETENTION: '7d',
      RESULT_RETENTION: 'forever',
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
    });
    expect(config.corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(config.retention).toEqual({ uploadsMs: 7 * 86_400_000, resultsMs: null, sweepIntervalMs: 3_600_000 });
    expect(config.limits.submissionsPerMinute).toBe(0);
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(() => loadConfig({ UPLOAD_RETENTION: '7 days' })).toThrow(/UPLOAD_RETENTION/);
    expect(() => loadConfig({ CORS_ORIGINS: 'evil.example/path' })).toThrow(/CORS_ORIGINS/);
  });
});
