import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ACTOR_KINDS, JOB_STATUSES, LOG_LEVELS, RESULT_TYPES, type JobCounts } from '../types.js';

/**
 * SQLite schema. Timestamps are ISO 8601 text with milliseconds and 'Z' (toISOString), written by
 * the repository: that format sorts lexically in time order, so indexes and cursors work on it.
 */

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
/** Rows written before tenancy (migration 0003) belong to the 'local' tenant. */
const tenantId = () => text('tenant_id').notNull().default('local');

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    tenantId: tenantId(),
    status: text('status', { enum: JOB_STATUSES }).notNull(),
    dataset: text('dataset'),
    detectedDataset: text('detected_dataset'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type'),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key'),
    progressPercent: real('progress_percent').notNull().default(0),
    recordsProcessed: integer('records_processed').notNull().default(0),
    errorsFound: integer('errors_found').notNull().default(0),
    counts: text('counts', { mode: 'json' }).$type<JobCounts>(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    filesDeletedAt: text('files_deleted_at'),
    uploadDeletedAt: text('upload_deleted_at'),
    expiredAt: text('expired_at'),
  },
  (t) => [
    index('jobs_status_idx').on(t.status),
    index('jobs_created_at_idx').on(t.createdAt),
    index('jobs_created_at_id_idx').on(t.createdAt, t.id),
    index('jobs_tenant_created_at_id_idx').on(t.tenantId, t.createdAt, t.id),
    index('jobs_finished_at_idx').on(t.finishedAt),
    // Idempotency keys are per tenant (NULL keys never clash).
    uniqueIndex('jobs_tenant_idempotency_key_unique').on(t.tenantId, t.idempotencyKey),
    check('jobs_status_check', sql`${t.status} in (${inList(JOB_STATUSES)})`),
  ],
);

export const jobResults = sqliteTable(
  'job_results',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    tenantId: tenantId(),
    // '' for the job's own files (rejects, report); text rather than null so it can be in the key.
    dataset: text('dataset').notNull().default(''),
    type: text('type', { enum: RESULT_TYPES }).notNull(),
    format: text('format').notNull(),
    storageKey: text('storage_key').notNull(),
    count: integer('count').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    // One row per stored file. A dataset can have several files of one type and format (FHIR
    // output is one file per resource type: medications gives MedicationRequest and
    // MedicationAdministration), so the file's key, not (dataset, type, format), is the identity.
    primaryKey({ name: 'job_results_pk', columns: [t.jobId, t.storageKey] }),
  ],
);

export const jobLogs = sqliteTable(
  'job_logs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    tenantId: tenantId(),
    at: text('at').notNull(),
    level: text('level', { enum: LOG_LEVELS }).notNull(),
    message: text('message').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('job_logs_job_id_id_idx').on(t.jobId, t.id)],
);

export const jobMetrics = sqliteTable('job_metrics', {
  jobId: text('job_id')
    .primaryKey()
    .references(() => jobs.id, { onDelete: 'cascade' }),
  tenantId: tenantId(),
  durationMs: integer('duration_ms').notNull(),
  bytesIn: integer('bytes_in').notNull(),
  recordsIn: integer('records_in').notNull(),
  recordsOut: integer('records_out').notNull(),
  recordsRejected: integer('records_rejected').notNull(),
  duplicates: integer('duplicates').notNull(),
  errors: integer('errors').notNull(),
  warnings: integer('warnings').notNull(),
  createdAt: text('created_at').notNull(),
});

/** Saved mapping profiles (issue 3): reusable column and code mappings, referenced by name within a tenant. */
export const mappingProfiles = sqliteTable(
  'mapping_profiles',
  {
    tenantId: tenantId(),
    name: text('name').notNull(),
    dataset: text('dataset'),
    columns: text('columns', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    codes: text('codes', { mode: 'json' }).$type<Record<string, Record<string, string>>>().notNull(),
    description: text('description'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'mapping_profiles_pk', columns: [t.tenantId, t.name] })],
);

/** API keys (issue 4). Only the sha256 of the secret is stored. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    roles: text('roles', { mode: 'json' }).$type<string[]>().notNull(),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_unique').on(t.keyHash),
    index('api_keys_tenant_created_at_idx').on(t.tenantId, t.createdAt),
  ],
);

/** Audit trail (issue 4): who did what to which job or key. Ids and codes only, never record values. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Null for auth failures with no known tenant.
    tenantId: text('tenant_id'),
    at: text('at').notNull(),
    actor: text('actor'),
    actorKind: text('actor_kind', { enum: ACTOR_KINDS }),
    action: text('action').notNull(),
    target: text('target'),
    outcome: integer('outcome').notNull(),
    ip: text('ip'),
    requestId: text('request_id'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_tenant_id_id_idx').on(t.tenantId, t.id)],
);
