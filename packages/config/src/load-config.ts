import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { encryptionKeysSchema, type EncryptionKeysSetting } from './encryption-keys.js';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every environment variable the service reads, with its default. The README's settings table
 * mirrors this schema; keep them in step.
 */
const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres://, postgresql:// or sqlite:')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('public'),
  STORAGE_DIR: z.string().min(1).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only').default('harmonizer'),
  MAX_UPLOAD_BYTES: int(1).default(1024 * 1024 * 1024),
  UPLOAD_IDLE_TIMEOUT_MS: int(1000).default(60_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  WORKER_CONCURRENCY: int(1, 64).default(1),
  WORKER_THREADS: int(1, 256).default(availableParallelism()),
  WORKER_METRICS_PORT: int(0, 65535).default(9464),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  CHUNK_ROWS: int(1, 1_000_000).default(5000),
  WORKER_LOCK_MS: int(1000).default(30_000),
  RECONCILE_INTERVAL_MS: int(100).default(30_000),
  MAX_DECOMPRESSED_BYTES: int(1).default(10 * 1024 * 1024 * 1024),
  JOB_ATTEMPTS: int(1, 100).default(5),
  JOB_BACKOFF_MS: int(0).default(2000),
  PROGRESS_INTERVAL_MS: int(50).default(1000),
  SHUTDOWN_TIMEOUT_MS: int(0).default(25_000),
  ENCRYPTION_KEYS: encryptionKeysSchema.optional(),
});

/** Variables holding key material: a problem with one names it but never repeats its value. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set(['ENCRYPTION_KEYS']);

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };
  storageDir: string;
  redisUrl: string;
  queuePrefix: string;
  maxUploadBytes: number;
  /** A connection silent this long is closed (UPLOAD_IDLE_TIMEOUT_MS), so a live upload's temp file is never older. */
  uploadIdleTimeoutMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
  worker: {
    concurrency: number;
    threads: number;
    metricsPort: number;
    metricsHost: string;
    chunkRows: number;
    progressIntervalMs: number;
    /** BullMQ lock of a running job, and how often workers look for stalled ones (WORKER_LOCK_MS). */
    lockMs: number;
    /** How often a worker checks that database rows and queue entries agree (RECONCILE_INTERVAL_MS). */
    reconcileIntervalMs: number;
    /** A gzip upload inflating past this fails with input.decompressed_too_large (MAX_DECOMPRESSED_BYTES). */
    maxDecompressedBytes: number;
  };
  jobAttempts: number;
  jobBackoffMs: number;
  shutdownTimeoutMs: number;
  /** Stored files are encrypted at rest when set (ENCRYPTION_KEYS); null stores them as they are. */
  encryptionKeys: EncryptionKeysSetting | null;
}

/** Thrown with every bad variable listed, so one start-up shows all that must be fixed. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set": compose files and shells often export KEY= .
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const got = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(present[name] ?? '')})`;
        return `${issue.path.join('.')}: ${issue.message}${got}`;
      }),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const database: Config['database'] =
    e.DATABASE_URL === undefined
      ? { kind: 'sqlite', file: path.join(dataDir, 'harmonizer.sqlite') }
      : e.DATABASE_URL.startsWith('sqlite:')
        ? { kind: 'sqlite', file: path.resolve(e.DATABASE_URL.slice('sqlite:'.length)) }
        : { kind: 'postgres', url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA };
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir,
    database,
    storageDir: path.resolve(e.STORAGE_DIR ?? path.join(dataDir, 'files')),
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    uploadIdleTimeoutMs: e.UPLOAD_IDLE_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      threads: e.WORKER_THREADS,
      metricsPort: e.WORKER_METRICS_PORT,
      metricsHost: e.WORKER_METRICS_HOST,
      chunkRows: e.CHUNK_ROWS,
      progressIntervalMs: e.PROGRESS_INTERVAL_MS,
      lockMs: e.WORKER_LOCK_MS,
      reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
      maxDecompressedBytes: e.MAX_DECOMPRESSED_BYTES,
    },
    jobAttempts: e.JOB_ATTEMPTS,
    jobBackoffMs: e.JOB_BACKOFF_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    encryptionKeys: e.ENCRYPTION_KEYS ?? null,
  };
}
