import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { ACTOR_KINDS, JOB_STATUSES, LOG_LEVELS, RESULT_TYPES, type JobCounts } from '../types.js';

/**
 * Postgres schema. Tables carry no schema name: the connection's search_path picks the schema, so
 * one migration set serves every DATABASE_SCHEMA (the package's `generate` script strips the
 * "public". qualifier drizzle-kit writes into foreign keys). Timestamps are timestamptz with millisecond
 * precision, the same resolution the ISO strings of the Job contract carry.
 */

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const ts = (name: string) => timestamp(name, { precision: 3, withTimezone: true, mode: 'date' });
const bytes = (name: string) => bigint(name, { mode: 'number' });
/** Rows written before tenancy (migration 0003) belong to the 'local' tenant. */
const tenantId = () => text('tenant_id').notNull().default('local');

export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    tenantId: tenantId(),
    status: text('status', { enum: JOB_STATUSES }).notNull(),
    dataset: text('dataset'),
    detectedDataset: text('detected_dataset'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type'),
    sizeBytes: bytes('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    options: jsonb('options').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key'),
    progressPercent: doublePrecision('progress_percent').notNull().default(0),
    recordsProcessed: bigint('records_processed', { mode: 'number' }).notNull().default(0),
    errorsFound: bigint('errors_found', { mode: 'number' }).notNull().default(0),
    counts: jsonb('counts').$type<JobCounts>(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    filesDeletedAt: ts('files_deleted_at'),
    uploadDeletedAt: ts('upload_deleted_at'),
    expiredAt: ts('expired_at'),
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

export const jobResults = pgTable(
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
    count: bigint('count', { mode: 'number' }).notNull(),
    sizeBytes: bytes('size_bytes').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  // One row per stored file. A dataset can have several files of one type and format (FHIR
  // output is one file per resource type: medications gives MedicationRequest and
  // MedicationAdministration), so the file's key, not (dataset, type, format), is the identity.
  (t) => [primaryKey({ name: 'job_results_pk', columns: [t.jobId, t.storageKey] })],
);

export const jobLogs = pgTable(
  'job_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    tenantId: tenantId(),
    at: ts('at').notNull(),
    level: text('level', { enum: LOG_LEVELS }).notNull(),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('job_logs_job_id_id_idx').on(t.jobId, t.id)],
);

export const jobMetrics = pgTable('job_metrics', {
  jobId: text('job_id')
    .primaryKey()
    .references(() => jobs.id, { onDelete: 'cascade' }),
  tenantId: tenantId(),
  durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
  bytesIn: bytes('bytes_in').notNull(),
  recordsIn: bigint('records_in', { mode: 'number' }).notNull(),
  recordsOut: bigint('records_out', { mode: 'number' }).notNull(),
  recordsRejected: bigint('records_rejected', { mode: 'number' }).notNull(),
  duplicates: bigint('duplicates', { mode: 'number' }).notNull(),
  errors: bigint('errors', { mode: 'number' }).notNull(),
  warnings: bigint('warnings', { mode: 'number' }).notNull(),
  createdAt: ts('created_at').notNull(),
});

/** Saved mapping profiles (issue 3): reusable column and code mappings, referenced by name within a tenant. */
export const mappingProfiles = pgTable(
  'mapping_profiles',
  {
    tenantId: tenantId(),
    name: text('name').notNull(),
    dataset: text('dataset'),
    columns: jsonb('columns').$type<Record<string, string>>().notNull(),
    codes: jsonb('codes').$type<Record<string, Record<string, string>>>().notNull(),
    description: text('description'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'mapping_profiles_pk', columns: [t.tenantId, t.name] })],
);

/** API keys (issue 4). Only the sha256 of the secret is stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    roles: jsonb('roles').$type<string[]>().notNull(),
    createdBy: text('created_by'),
    createdAt: ts('created_at').notNull(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_unique').on(t.keyHash),
    index('api_keys_tenant_created_at_idx').on(t.tenantId, t.createdAt),
  ],
);

/** Audit trail (issue 4): who did what to which job or key. Ids and codes only, never record values. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // Null for auth failures with no known tenant.
    tenantId: text('tenant_id'),
    at: ts('at').notNull(),
    actor: text('actor'),
    actorKind: text('actor_kind', { enum: ACTOR_KINDS }),
    action: text('action').notNull(),
    target: text('target'),
    outcome: integer('outcome').notNull(),
    ip: text('ip'),
    requestId: text('request_id'),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_tenant_id_id_idx').on(t.tenantId, t.id)],
);
