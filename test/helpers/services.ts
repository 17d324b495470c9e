import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { deleteRedisPrefix } from './redis-keys.js';
import { appCommand, POSTGRES_URL, REPO_ROOT, SECURITY_VARIABLES, TEST_REDIS_URL, TEST_SERVICE_DEFAULTS } from './start-stack.js';

/** Variables of the parent that would leak into the services; each test says what it wants. */
const SERVICE_VARIABLES = [
  'HOST', 'PORT', 'DATA_DIR', 'DATABASE_URL', 'DATABASE_SCHEMA', 'STORAGE_DIR', 'QUEUE_PREFIX', 'MAX_UPLOAD_BYTES',
  'LOG_LEVEL', 'WORKER_CONCURRENCY', 'WORKER_THREADS', 'WORKER_METRICS_PORT', 'WORKER_METRICS_HOST', 'CHUNK_ROWS',
  'JOB_ATTEMPTS', 'JOB_BACKOFF_MS', 'PROGRESS_INTERVAL_MS', 'SHUTDOWN_TIMEOUT_MS', 'WORKER_LOCK_MS',
  'RECONCILE_INTERVAL_MS', 'UPLOAD_IDLE_TIMEOUT_MS', 'MAX_DECOMPRESSED_BYTES', 'REDIS_URL', 'ENCRYPTION_KEYS',
  ...SECURITY_VARIABLES,
] as const;

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;

export interface ServicesOptions {
  /** A Redis the test owns (a private server); default: the shared one, under a fresh prefix. */
  redisUrl?: string;
  /** A Postgres the test owns; default: SQLite in the data directory. The schema is made fresh. */
  postgresUrl?: string;
  env?: Record<string, string>;
}

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  kill(signal: NodeJS.Signals): void;
}

export interface Services {
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly storageDir: string;
  readonly queuePrefix: string;
  readonly databaseUrl: string | null;
  readonly schema: string | null;
  /** Starts an api on the services' one port (stop the previous one first). */
  startApi(env?: Record<string, string>): Promise<ServiceProcess>;
  /** Starts one more worker; each gets a metrics port of its own. */
  startWorker(env?: Record<string, string>): Promise<ServiceProcess>;
  output(): string;
  /** SIGTERM to every process still running (SIGKILL if one hangs), then removes what the run made. */
  stop(): Promise<void>;
}

/**
 * Api and worker processes started, killed and restarted one by one, for fault tests. Unlike
 * startStack, the test holds each process and can send it any signal.
 */
export async function startServices(options: ServicesOptions = {}): Promise<Services> {
  const runId = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'harmonizer-fault-'));
  const storageDir = options.env?.STORAGE_DIR ?? path.join(dataDir, 'files');
  const queuePrefix = `fault-${runId}`;
  const schema = options.postgresUrl ? `fault_${runId}` : null;
  const apiPort = await freePort();
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;

  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SERVICE_VARIABLES) delete baseEnv[name];
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    DATA_DIR: dataDir,
    QUEUE_PREFIX: queuePrefix,
    REDIS_URL: redisUrl,
    PROGRESS_INTERVAL_MS: '200',
    LOG_LEVEL: 'info',
    ...(options.postgresUrl && schema ? { DATABASE_URL: options.postgresUrl, DATABASE_SCHEMA: schema } : {}),
    ...TEST_SERVICE_DEFAULTS,
    ...options.env,
  };

  const chunks: string[] = [];
  const processes: ServiceProcess[] = [];
  let workers = 0;

  const launch = (name: string, script: string, extra: Record<string, string>): ServiceProcess => {
    const command = appCommand(script, { ...env, ...extra });
    const child = spawn(process.execPath, command.args, { cwd: REPO_ROOT, env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (data: Buffer) => chunks.push(`[${name}] ${data.toString('utf8')}`));
    child.stderr?.on('data', (data: Buffer) => chunks.push(`[${name}:err] ${data.toString('utf8')}`));
    const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    const handle: ServiceProcess = {
      name,
      child,
      exited,
      isRunning: () => child.exitCode === null && child.signalCode === null,
      kill: (signal) => void child.kill(signal),
    };
    processes.push(handle);
    return handle;
  };

  const baseUrl = `http://127.0.0.1:${apiPort}`;
  return {
    baseUrl,
    dataDir,
    storageDir,
    queuePrefix,
    databaseUrl: options.postgresUrl ?? null,
    schema,
    async startApi(extra = {}) {
      const api = launch('api', 'apps/api/dist/main.js', extra);
      await waitForHttp(`${baseUrl}/health`, api, chunks);
      return api;
    },
    async startWorker(extra = {}) {
      workers += 1;
      const port = await freePort();
      const worker = launch(`worker${workers}`, 'apps/worker/dist/main.js', { WORKER_METRICS_PORT: String(port), ...extra });
      await waitForHttp(`http://127.0.0.1:${port}/metrics`, worker, chunks);
      return worker;
    },
    output: () => chunks.join(''),
    async stop() {
      await Promise.all(processes.map(stopProcess));
      if (!options.redisUrl) await deleteRedisPrefix(queuePrefix).catch(() => undefined);
      if (options.postgresUrl && schema) await dropSchema(options.postgresUrl, schema).catch(() => undefined);
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(url: string, service: ServiceProcess, chunks: string[]): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!service.isRunning()) {
      throw new Error(`${service.name} exited before ${url} answered\n--- output ---\n${chunks.join('').slice(-4000)}`);
    }
    if (await fetch(url).then((res) => res.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${service.name} did not answer ${url} within ${STARTUP_TIMEOUT_MS} ms`);
}

async function stopProcess(service: ServiceProcess): Promise<void> {
  if (!service.isRunning()) return;
  service.kill('SIGTERM');
  const timer = setTimeout(() => service.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await service.exited;
  clearTimeout(timer);
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Generated above from [a-z0-9_] only, so safe to interpolate.
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export { POSTGRES_URL };
