import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { encryptionKeysSchema, type EncryptionKeysSetting } from './encryption-keys.js';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const AUTH_MODES = ['required', 'none'] as const;
export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** Tenant ids: what a JWT claim or an api key carries; safe in keys, logs and URLs. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const tenantId = z.string().regex(TENANT_ID_PATTERN, 'letters, digits, ., _ and - (1-64, starting with a letter or digit)');

const DURATION_UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** '30d', '12h', '15m', '90s' -> milliseconds; 'forever' -> null (never deleted). */
const duration = z
  .string()
  .regex(/^(forever|\d+[smhd])$/, "a number with s, m, h or d (e.g. 30d), or 'forever'")
  .transform((v) => (v === 'forever' ? null : Number(v.slice(0, -1)) * DURATION_UNITS_MS[v.slice(-1) as keyof typeof DURATION_UNITS_MS]));

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
  // Two: while one job waits on its files and database commits the other uses the CPU (small jobs +20-25%, bench/README.md).
  WORKER_CONCURRENCY: int(1, 64).default(2),
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
  AUTH_MODE: z.enum(AUTH_MODES).default('required'),
  AUTH_NONE_TENANT: tenantId.default('local'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  JWT_JWKS_FILE: z.string().min(1).optional(),
  JWT_ALGORITHMS: z
    .string()
    .transform((v) => v.split(',').map((a) => a.trim()).filter((a) => a !== ''))
    .pipe(z.array(z.enum(JWT_ALGORITHMS), { message: `a comma list of ${JWT_ALGORITHMS.join(', ')}` }).min(1))
    .optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_TENANT_CLAIM: z.string().min(1).default('tenant'),
  JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
  JWT_CLOCK_TOLERANCE_S: int(0, 300).default(30),
  CORS_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter((o) => o !== ''))
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^\s/]+)$/, "'*' or origins like https://app.example.org")))
    .default(''),
  RATE_LIMIT_SUBMISSIONS_PER_MINUTE: int(0).default(120),
  RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: int(0).default(600),
  STATUS_POLL_LIMIT: z.enum(['on', 'off']).default('on'),
  MAX_UPLOAD_PARTS: int(1, 1000).default(20),
  MAX_FIELD_BYTES: int(1).default(64 * 1024),
  JSON_BODY_LIMIT_BYTES: int(1).default(1024 * 1024),
  UPLOAD_RETENTION: duration.optional(),
  RESULT_RETENTION: duration.optional(),
  RETENTION_SWEEP_INTERVAL_MS: int(1000).default(60 * 60 * 1000),
});

/** Variables holding key material: a problem with one names it but never repeats its value. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set(['ENCRYPTION_KEYS', 'JWT_SECRET']);

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
  /** Who may call the api (issue 4). 'none' is for local use only: every request acts as admin of one tenant. */
  auth: AuthConfig;
  /** Origins allowed to call the api from a browser (CORS_ORIGINS); [] = CORS closed. */
  corsOrigins: string[];
  limits: {
    /** POST /jobs per minute per user or api key (RATE_LIMIT_SUBMISSIONS_PER_MINUTE); 0 = unlimited. */
    submissionsPerMinute: number;
    /** POST /jobs per minute per tenant, all its users and keys together; 0 = unlimited. */
    tenantSubmissionsPerMinute: number;
    /** Status polls of an active job sooner than its Retry-After answer 429 (STATUS_POLL_LIMIT). */
    statusPoll: boolean;
    /** Multipart parts per upload (MAX_UPLOAD_PARTS) and bytes per non-file field (MAX_FIELD_BYTES). */
    uploadParts: number;
    fieldBytes: number;
    /** Bytes of a JSON request body (JSON_BODY_LIMIT_BYTES). */
    jsonBodyBytes: number;
  };
  retention: {
    /** Raw uploads are deleted this long after their job finished (UPLOAD_RETENTION); null = kept. */
    uploadsMs: number | null;
    /** Result files are deleted this long after their job finished (RESULT_RETENTION); null = kept. */
    resultsMs: number | null;
    /** How often the scheduled sweep runs (RETENTION_SWEEP_INTERVAL_MS). */
    sweepIntervalMs: number;
  };
}

export type AuthConfig =
  | { mode: 'none'; tenantId: string }
  | {
      mode: 'required';
      /** Null when no key source is set: the api refuses to start (see loadApiConfig); the worker does not care. */
      jwt: JwtConfig | null;
    };

export interface JwtConfig {
  /** HS256 shared secret (JWT_SECRET). */
  secret: string | null;
  /** PEM public key for RS256/ES256 (JWT_PUBLIC_KEY_FILE), read by the api at start. */
  publicKeyFile: string | null;
  /** A JWKS document on disk (JWT_JWKS_FILE), keys picked by the token's kid. */
  jwksFile: string | null;
  /** The only algorithms accepted (JWT_ALGORITHMS); by default HS256 with a secret, RS256 and ES256 with a key or JWKS. */
  algorithms: JwtAlgorithm[];
  issuer: string;
  audience: string;
  tenantClaim: string;
  rolesClaim: string;
  clockToleranceSec: number;
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
  const auth = authConfig(e);
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
    auth,
    corsOrigins: e.CORS_ORIGINS,
    limits: {
      submissionsPerMinute: e.RATE_LIMIT_SUBMISSIONS_PER_MINUTE,
      tenantSubmissionsPerMinute: e.RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE,
      statusPoll: e.STATUS_POLL_LIMIT === 'on',
      uploadParts: e.MAX_UPLOAD_PARTS,
      fieldBytes: e.MAX_FIELD_BYTES,
      jsonBodyBytes: e.JSON_BODY_LIMIT_BYTES,
    },
    retention: {
      uploadsMs: e.UPLOAD_RETENTION === undefined ? DEFAULT_RETENTION_MS : e.UPLOAD_RETENTION,
      resultsMs: e.RESULT_RETENTION === undefined ? DEFAULT_RETENTION_MS : e.RESULT_RETENTION,
      sweepIntervalMs: e.RETENTION_SWEEP_INTERVAL_MS,
    },
  };
}

/** Uploads and results are kept 30 days after their job finished unless set otherwise. */
const DEFAULT_RETENTION_MS = 30 * DURATION_UNITS_MS.d;

function authConfig(e: z.infer<typeof envSchema>): AuthConfig {
  if (e.AUTH_MODE === 'none') return { mode: 'none', tenantId: e.AUTH_NONE_TENANT };
  const problems: string[] = [];
  const secret = e.JWT_SECRET ?? null;
  const publicKeyFile = e.JWT_PUBLIC_KEY_FILE ?? null;
  const jwksFile = e.JWT_JWKS_FILE ?? null;
  if (secret === null && publicKeyFile === null && jwksFile === null) return { mode: 'required', jwt: null };
  if (publicKeyFile !== null && jwksFile !== null) problems.push('JWT_PUBLIC_KEY_FILE and JWT_JWKS_FILE: set one, not both');
  const asymmetric = publicKeyFile !== null || jwksFile !== null;
  const algorithms: JwtAlgorithm[] =
    e.JWT_ALGORITHMS ?? [...(secret !== null ? (['HS256'] as const) : []), ...(asymmetric ? (['RS256', 'ES256'] as const) : [])];
  if (algorithms.includes('HS256') && secret === null) problems.push('JWT_ALGORITHMS: HS256 needs JWT_SECRET');
  if (algorithms.some((a) => a !== 'HS256') && !asymmetric)
    problems.push('JWT_ALGORITHMS: RS256 and ES256 need JWT_PUBLIC_KEY_FILE or JWT_JWKS_FILE');
  if (e.JWT_ISSUER === undefined) problems.push('JWT_ISSUER: required when AUTH_MODE=required (the iss every token must carry)');
  if (e.JWT_AUDIENCE === undefined) problems.push('JWT_AUDIENCE: required when AUTH_MODE=required (the aud every token must carry)');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mode: 'required',
    jwt: {
      secret,
      publicKeyFile: publicKeyFile === null ? null : path.resolve(publicKeyFile),
      jwksFile: jwksFile === null ? null : path.resolve(jwksFile),
      algorithms,
      issuer: e.JWT_ISSUER as string,
      audience: e.JWT_AUDIENCE as string,
      tenantClaim: e.JWT_TENANT_CLAIM,
      rolesClaim: e.JWT_ROLES_CLAIM,
      clockToleranceSec: e.JWT_CLOCK_TOLERANCE_S,
    },
  };
}

/**
 * The api's configuration: loadConfig plus the rule that auth is on unless AUTH_MODE=none says
 * otherwise, so an api with AUTH_MODE=required and no JWT key source refuses to start.
 */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = loadConfig(env);
  if (config.auth.mode === 'required' && config.auth.jwt === null) {
    throw new ConfigError([
      'AUTH_MODE: auth is required but no JWT key is configured: set JWT_SECRET (HS256), JWT_PUBLIC_KEY_FILE (RS256/ES256 PEM) or JWT_JWKS_FILE, with JWT_ISSUER and JWT_AUDIENCE; or set AUTH_MODE=none for local use only',
    ]);
  }
  return config;
}
