import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import { loadApiConfig, type Config } from '@harmonizer/config';
import { createDb, type Database, type TenantScope } from '@harmonizer/db';
import { createHarmonizeQueue, createRedisConnection, type HarmonizeQueue } from '@harmonizer/queue';
import { createStorage, type ObjectStorage } from '@harmonizer/storage';
import { buildApp } from '../app.js';
import { createSpecValidator } from './spec-validator.js';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  db: Database;
  /** The scope of the tenant AUTH_MODE=none requests act for ('local' unless AUTH_NONE_TENANT says otherwise). */
  local: TenantScope;
  storage: ObjectStorage;
  queue: HarmonizeQueue;
  /** Problems with a response against openapi.yaml ([] when it matches); `path` as the spec spells it. */
  specProblems(method: string, path: string, res: LightMyRequestResponse): string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * Extra environment, e.g. MAX_UPLOAD_BYTES or a REDIS_URL nobody answers at. Without AUTH_MODE
   * the app runs with AUTH_MODE=none (every request is the local admin); tests of auth pass
   * AUTH_MODE=required with JWT settings (see testing/auth-tokens.ts).
   */
  env?: Record<string, string>;
  onRoute?: (route: RouteOptions) => void;
  /** Sees the SQL text of every statement the database runs (createDb's onQuery). */
  onQuery?: (sql: string) => void;
}

/**
 * The real api on real parts: SQLite and stored files in a fresh temp DATA_DIR, the local Redis
 * under a queue prefix of its own. close() removes all of it, the prefix's keys included.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'harmonizer-api-'));
  const config = loadApiConfig({
    AUTH_MODE: 'none',
    // Request limits off unless a test sets them: tests poll and submit faster than any client may.
    STATUS_POLL_LIMIT: 'off',
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
    RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `test-api-${process.pid}-${randomBytes(4).toString('hex')}`,
    JOB_BACKOFF_MS: '100',
    ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    ...options.env,
  });
  const db = await createDb(config.database, options.onQuery ? { onQuery: options.onQuery } : {});
  const storage = createStorage(config);
  const redis = createRedisConnection(config.redisUrl, 'producer');
  const queue = createHarmonizeQueue({
    connection: redis,
    prefix: config.queuePrefix,
    attempts: config.jobAttempts,
    backoffMs: config.jobBackoffMs,
  });
  // An unreachable Redis is a scenario under test, not a crash.
  queue.queue.on('error', () => undefined);
  const release = async (app?: FastifyInstance) => {
    await app?.close();
    if (redis.status === 'ready') await queue.queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  };

  let app: FastifyInstance | undefined;
  try {
    // Tests of a reachable Redis start once it is connected, as a deployed api would be by then.
    if (!options.env?.REDIS_URL) await queue.queue.waitUntilReady();
    app = await buildApp({ config, db, storage, queue, logger: false, onRoute: options.onRoute });
    await app.ready();
  } catch (err) {
    await release(app);
    throw err;
  }
  const check = createSpecValidator(app.swagger() as unknown as Record<string, unknown>);
  const ready = app;

  return {
    app: ready,
    config,
    db,
    local: db.forTenant(config.auth.mode === 'none' ? config.auth.tenantId : 'local'),
    storage,
    queue,
    specProblems: (method, path, res) => check(method, path, res.statusCode, res.json()),
    close: () => release(ready),
  };
}
