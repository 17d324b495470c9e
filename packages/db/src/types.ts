import type { MappingRepository } from './mapping-profile.js';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const ACTIVE_STATUSES = ['queued', 'running'] as const satisfies readonly JobStatus[];

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface JobCounts {
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  duplicates: number;
  warnings: number;
  /**
   * Rows replaced by a newer version of the same record (medications), left out of the outputs:
   * rows_in = rows_out + rows_rejected + duplicates + superseded. Absent on jobs completed before
   * it was counted (the column is JSON, so no migration).
   */
  superseded?: number;
}

export interface Job {
  id: string;
  /** The tenant that owns the job ('local' for rows that predate tenancy). */
  tenantId: string;
  status: JobStatus;
  /** As requested by the user, or null for auto-detect. */
  dataset: string | null;
  /** What the worker used (detected or requested); null until it ran. */
  detectedDataset: string | null;
  fileName: string;
  contentType: string | null;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  options: Record<string, unknown>;
  idempotencyKey: string | null;
  progressPercent: number;
  recordsProcessed: number;
  errorsFound: number;
  counts: JobCounts | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  /** ISO 8601 UTC with milliseconds. */
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  filesDeletedAt: string | null;
  /** When retention removed the raw upload; null while it is kept. */
  uploadDeletedAt: string | null;
  /** When retention removed the results (filesDeletedAt is set with it); null while they are kept. */
  expiredAt: string | null;
}

export interface NewJob {
  id: string;
  tenantId: string;
  dataset: string | null;
  fileName: string;
  contentType: string | null;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  options: Record<string, unknown>;
  idempotencyKey: string | null;
}

export const RESULT_TYPES = ['harmonized', 'rejects', 'report'] as const;
export type ResultType = (typeof RESULT_TYPES)[number];

export interface JobResult {
  jobId: string;
  /** The dataset a harmonized file holds; null for the job's own files (rejects, report). */
  dataset: string | null;
  type: ResultType;
  /** csv | ndjson | json */
  format: string;
  storageKey: string;
  count: number;
  sizeBytes: number;
  createdAt: string;
}

export interface JobLog {
  id: number;
  jobId: string;
  at: string;
  level: LogLevel;
  /** Ids, counts, durations and rule codes only: never record values. */
  message: string;
  data: Record<string, unknown> | null;
}

export interface JobMetrics {
  jobId: string;
  durationMs: number;
  bytesIn: number;
  recordsIn: number;
  recordsOut: number;
  recordsRejected: number;
  duplicates: number;
  errors: number;
  warnings: number;
}

export interface Progress {
  percent: number;
  recordsProcessed: number;
  errorsFound: number;
}

export interface CompletedJob {
  /** The first (or only) dataset; null when the file held no record of any dataset (a FHIR file of Devices). */
  detectedDataset: string | null;
  counts: JobCounts;
  results: Omit<JobResult, 'jobId' | 'createdAt'>[];
  metrics: Omit<JobMetrics, 'jobId'>;
}

export interface ListJobsQuery {
  status?: JobStatus;
  limit: number;
  /** Opaque, from a previous page's nextCursor. */
  cursor?: string;
}

/**
 * Side effects on jobs live here only. Every status change is a conditional update: it names the
 * statuses it may leave, so a cancelled job is never revived by a late worker.
 */
export interface JobRepository {
  /** Inserts a queued job. With an idempotency key already used, returns that job and created=false. */
  create(job: NewJob): Promise<{ job: Job; created: boolean }>;
  get(id: string): Promise<Job | null>;
  findByIdempotencyKey(key: string): Promise<Job | null>;
  /** Newest first (created_at desc, id desc). Throws InvalidCursorError for a cursor it did not issue. */
  list(query: ListJobsQuery): Promise<{ items: Job[]; nextCursor: string | null }>;
  /** queued|running -> running, attempts + 1, started_at set once. Null when the job is in any other state. */
  markRunning(id: string): Promise<Job | null>;
  /** Only while running; false means the job left running (cancelled), so the worker must stop. */
  updateProgress(id: string, progress: Progress): Promise<boolean>;
  /** running -> completed, with results and metrics, in one transaction. Null if the job was not running. */
  markCompleted(id: string, done: CompletedJob): Promise<Job | null>;
  /** queued|running -> failed. Null if the job was already finished or cancelled. */
  markFailed(id: string, error: { code: string; message: string }): Promise<Job | null>;
  /** queued|running -> cancelled. Null if it was not active. */
  cancel(id: string): Promise<Job | null>;
  /** Records that the stored files of a finished job were removed. */
  markFilesDeleted(id: string): Promise<Job | null>;
  listResults(jobId: string): Promise<JobResult[]>;
  getMetrics(jobId: string): Promise<JobMetrics | null>;
  appendLog(jobId: string, level: LogLevel, message: string, data?: Record<string, unknown>): Promise<void>;
  /** Oldest first; `afterId` pages forward. */
  listLogs(jobId: string, query: { limit: number; afterId?: number }): Promise<JobLog[]>;
  /** Jobs per status, for metrics. */
  countByStatus(): Promise<Record<JobStatus, number>>;
  /** Jobs in one of `statuses` not updated since `updatedBefore`, least recently updated first: for the reconciler. */
  listStale(query: StaleJobsQuery): Promise<Job[]>;
  /**
   * Back to queued, progress and error cleared. From 'failed' (a user's retry): only while its files
   * are not deleted, with attempts reset. From 'running' (a lost job): only if the row was not
   * updated since `updatedBefore` (no live worker touched it), attempts kept. Null otherwise.
   */
  requeue(id: string, guard: RequeueGuard): Promise<Job | null>;
  /** running -> failed, only if the row was not updated since `updatedBefore`. Null otherwise. */
  failStale(id: string, error: { code: string; message: string }, updatedBefore: string): Promise<Job | null>;
  /**
   * Finished (completed|failed|cancelled) jobs with finished_at < finishedBefore whose upload
   * (kind 'upload': upload_deleted_at null) resp. results (kind 'results': expired_at and
   * files_deleted_at null) are still there; oldest finished first.
   */
  listForRetention(query: RetentionQuery): Promise<Job[]>;
  /** Records that retention removed the raw upload of a finished job (set once). Null if not finished / missing. */
  markUploadDeleted(id: string): Promise<Job | null>;
  /** Records that retention removed the results of a finished job: sets expired_at and files_deleted_at (once). */
  markExpired(id: string): Promise<Job | null>;
}

export interface RetentionQuery {
  kind: 'upload' | 'results';
  /** ISO 8601 timestamp. */
  finishedBefore: string;
  limit: number;
}

/**
 * A tenant's view of the jobs: every statement it runs has `tenant_id = ?` in it, so another
 * tenant's job reads as missing.
 */
export interface TenantJobRepository
  extends Pick<
    JobRepository,
    'get' | 'findByIdempotencyKey' | 'list' | 'cancel' | 'markFilesDeleted' | 'listResults' | 'getMetrics' | 'listLogs'
  > {
  /** Inserts a queued job of this tenant; idempotency keys are per tenant. */
  create(job: Omit<NewJob, 'tenantId'>): Promise<{ job: Job; created: boolean }>;
  /** A user's retry of a failed job (see JobRepository.requeue); also refused once its upload is deleted. */
  requeue(id: string, guard: { from: 'failed' }): Promise<Job | null>;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  /** The first 12 characters of the key, shown in lists. */
  prefix: string;
  roles: string[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Pre-authentication lookups: the tenant is whatever the key says. */
export interface ApiKeyLookup {
  /** By sha256 hex of the full secret; revoked keys too (the caller refuses them). */
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Sets last_used_at; callers throttle (at most once a minute per key). */
  touch(id: string, at: string): Promise<void>;
}

export interface NewApiKey {
  id: string;
  name: string;
  prefix: string;
  /** sha256 hex of the full secret; the secret itself is never stored. */
  keyHash: string;
  roles: string[];
  createdBy: string | null;
}

export interface TenantApiKeyRepository {
  create(input: NewApiKey): Promise<ApiKeyRecord>;
  /** Newest first. */
  list(): Promise<ApiKeyRecord[]>;
  get(id: string): Promise<ApiKeyRecord | null>;
  /** Sets revoked_at once (a second revoke keeps the first time). Null when the tenant has no such key. */
  revoke(id: string): Promise<ApiKeyRecord | null>;
}

export const ACTOR_KINDS = ['user', 'api_key', 'local'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface AuditEntry {
  /** Null for auth failures with no known tenant. */
  tenantId: string | null;
  /** Subject or key id; null if unknown. */
  actor: string | null;
  actorKind: ActorKind | null;
  /** e.g. 'job.create', 'job.download', 'api_key.create', 'auth.failure', 'access.denied'. */
  action: string;
  target: string | null;
  /** HTTP status. */
  outcome: number;
  ip: string | null;
  requestId: string | null;
  /** Ids and codes only: never record values. */
  data?: Record<string, unknown> | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: string;
  data: Record<string, unknown> | null;
}

export interface AuditWriter {
  append(entry: AuditEntry): Promise<void>;
}

export interface AuditQuery {
  limit: number;
  /** Opaque, from a previous page's nextCursor. Throws InvalidCursorError for one it did not issue. */
  cursor?: string;
  action?: string;
}

export interface TenantAuditReader {
  /** Newest first. */
  list(query: AuditQuery): Promise<{ items: AuditRecord[]; nextCursor: string | null }>;
}

/** Everything one tenant may see or change. */
export interface TenantScope {
  readonly tenantId: string;
  readonly jobs: TenantJobRepository;
  /** Saved mapping profiles (issue 3), per tenant. */
  readonly mappings: MappingRepository;
  readonly apiKeys: TenantApiKeyRepository;
  readonly audit: TenantAuditReader;
}

export interface CreateDbOptions {
  /** Called with the SQL text of every statement the repositories run (drizzle's logger). */
  onQuery?: (sql: string) => void;
}

export interface StaleJobsQuery {
  statuses: readonly JobStatus[];
  /** ISO 8601 timestamp. */
  updatedBefore: string;
  limit: number;
}

export type RequeueGuard = { from: 'failed' } | { from: 'running'; updatedBefore: string };

/** What createDb returns: one object per concern, plus the connection's lifecycle. */
export interface Database {
  readonly dialect: 'sqlite' | 'postgres';
  /** System scope, across tenants: the worker, the reconciler, retention, metrics and tests. */
  readonly jobs: JobRepository;
  /** A tenant's scope; throws on a tenant id that does not match TENANT_ID_PATTERN. */
  forTenant(tenantId: string): TenantScope;
  /** Key lookups before the tenant is known (authentication). */
  readonly apiKeys: ApiKeyLookup;
  readonly audit: AuditWriter;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this service issued');
    this.name = 'InvalidCursorError';
  }
}
