import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { workerCommand } from '../../apps/worker/src/node-flags.js';
import { freePort } from './free-port.js';
import { deleteRedisPrefix } from './redis-keys.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `node` arguments and environment for one of the apps: a worker gets apps/worker/node-flags.json's
 * flags and environment defaults, as `npm run worker`, scripts/start.mjs and docker-compose start it.
 */
export function appCommand(script: string, env: NodeJS.ProcessEnv): { args: string[]; env: NodeJS.ProcessEnv } {
  return script.startsWith('apps/worker/') ? workerCommand(script, env) : { args: [script], env };
}
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Settings of authentication, limits and retention: the parent's values must not leak into a test's services. */
export const SECURITY_VARIABLES = [
  'AUTH_MODE', 'AUTH_NONE_TENANT', 'JWT_SECRET', 'JWT_PUBLIC_KEY_FILE', 'JWT_JWKS_FILE', 'JWT_ALGORITHMS', 'JWT_ISSUER',
  'JWT_AUDIENCE', 'JWT_TENANT_CLAIM', 'JWT_ROLES_CLAIM', 'JWT_CLOCK_TOLERANCE_S', 'CORS_ORIGINS',
  'RATE_LIMIT_SUBMISSIONS_PER_MINUTE', 'RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE', 'STATUS_POLL_LIMIT', 'MAX_UPLOAD_PARTS',
  'MAX_FIELD_BYTES', 'JSON_BODY_LIMIT_BYTES', 'UPLOAD_RETENTION', 'RESULT_RETENTION', 'RETENTION_SWEEP_INTERVAL_MS',
] as const;

/**
 * Unless a test says otherwise: no auth (every request is the local admin) and no request limits,
 * as the tests poll and submit faster than any client may.
 */
export const TEST_SERVICE_DEFAULTS: Record<string, string> = {
  AUTH_MODE: 'none',
  STATUS_POLL_LIMIT: 'off',
  RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
  RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0',
};

/** Every variable the service reads; the parent's values are dropped so each stack is what the test says. */
const SERVICE_VARIABLES = [
  'HOST', 'PORT', 'DATA_DIR', 'DATABASE_URL', 'DATABASE_SCHEMA', 'STORAGE_DIR', 'QUEUE_PREFIX', 'MAX_UPLOAD_BYTES',
  'LOG_LEVEL', 'WORKER_CONCURRENCY', 'WORKER_THREADS', 'WORKER_METRICS_PORT', 'WORKER_METRICS_HOST', 'CHUNK_ROWS',
  'JOB_ATTEMPTS', 'JOB_BACKOFF_MS', 'PROGRESS_INTERVAL_MS', 'SHUTDOWN_TIMEOUT_MS',
  'WORKER_LOCK_MS', 'RECONCILE_INTERVAL_MS', 'UPLOAD_IDLE_TIMEOUT_MS', 'MAX_DECOMPRESSED_BYTES', 'ENCRYPTION_KEYS',
  ...SECURITY_VARIABLES,
] as const;

export interface StackOptions {
  /** Run on the local PostgreSQL in a schema of its own instead of SQLite. */
  postgres?: boolean;
  /** Extra or overriding service variables (MAX_UPLOAD_BYTES, WORKER_THREADS, CHUNK_ROWS...). */
  env?: Record<string, string>;
  /** Start the worker too (default). Tests of the api's own answers can do without it. */
  worker?: boolean;
}

export interface Stack {
  baseUrl: string;
  workerMetricsUrl: string;
  dataDir: string;
  queuePrefix: string;
  schema: string | null;
  /** Everything the api and the worker wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const runId = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'harmonizer-e2e-'));
  const queuePrefix = `e2e-${runId}`;
  const schema = options.postgres ? `e2e_${runId}` : null;
  const [apiPort, metricsPort] = [await freePort(), await freePort()];

  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SERVICE_VARIABLES) delete baseEnv[name];
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: queuePrefix,
    PORT: String(apiPort),
    WORKER_METRICS_PORT: String(metricsPort),
    PROGRESS_INTERVAL_MS: '200',
    LOG_LEVEL: 'debug',
    REDIS_URL: TEST_REDIS_URL,
    ...(schema ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema } : {}),
    ...TEST_SERVICE_DEFAULTS,
    ...options.env,
  };

  const chunks: string[] = [];
  const children: Child[] = [];
  const launch = (name: string, script: string): Child => {
    const command = appCommand(script, env);
    const child = spawn(process.execPath, command.args, { cwd: REPO_ROOT, env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (data: Buffer) => chunks.push(`[${name}] ${data.toString('utf8')}`));
    child.stderr?.on('data', (data: Buffer) => chunks.push(`[${name}:err] ${data.toString('utf8')}`));
    const exited = once(child, 'exit').then(() => undefined);
    const entry = { name, process: child, exited };
    children.push(entry);
    return entry;
  };

  const baseUrl = `http://127.0.0.1:${apiPort}`;
  const workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const output = () => chunks.join('');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(children.map(stopChild));
    await deleteRedisPrefix(queuePrefix);
    if (schema) await dropSchema(schema);
    await fs.rm(dataDir, { recursive: true, force: true });
  };

  try {
    const api = launch('api', 'apps/api/dist/main.js');
    await waitForHttp(`${baseUrl}/health`, api);
    if (options.worker !== false) {
      const worker = launch('worker', 'apps/worker/dist/main.js');
      await waitForHttp(workerMetricsUrl, worker);
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw new Error(`${(err as Error).message}\n--- service output ---\n${output()}`);
  }
  return { baseUrl, workerMetricsUrl, dataDir, queuePrefix, schema, output, stop };
}

async function waitForHttp(url: string, child: Child): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited (${child.process.exitCode ?? child.process.signalCode}) before ${url} answered`);
    }
    const ok = await fetch(url).then((res) => res.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${child.name} did not answer ${url} within ${STARTUP_TIMEOUT_MS} ms`);
}

/** SIGTERM asks for a clean shutdown; SIGKILL only when that hangs, so a stuck test still ends. */
async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await child.exited;
  clearTimeout(timer);
}

async function withPostgres(work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

// The schema name is generated above from [a-z0-9_] only, so it is safe to interpolate. The service
// creates the schema itself (that is part of what the Postgres run shows); the test only drops it.
const dropSchema = (schema: string) => withPostgres((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).then(() => undefined));
