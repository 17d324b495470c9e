import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

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
