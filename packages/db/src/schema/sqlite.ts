import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { JOB_STATUSES, LOG_LEVELS, RESULT_TYPES, type JobCounts } from '../types.js';

/**
 * SQLite schema. Timestamps are ISO 8601 text with milliseconds and 'Z' (toISOString), written by
 * the repository: that format sorts lexically in time order, so indexes and cursors work on it.
 */

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    status: text('status', { enum: JOB_STATUSES }).notNull(),
    dataset: text('dataset'),
    detectedDataset: text('detected_dataset'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type'),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').unique('jobs_idempotency_key_unique'),
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
  },
  (t) => [
    index('jobs_status_idx').on(t.status),
    index('jobs_created_at_idx').on(t.createdAt),
    index('jobs_created_at_id_idx').on(t.createdAt, t.id),
    check('jobs_status_check', sql`${t.status} in (${inList(JOB_STATUSES)})`),
  ],
);

export const jobResults = sqliteTable(
  'job_results',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
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

/** Saved mapping profiles (issue 3): reusable column and code mappings, referenced by name. */
export const mappingProfiles = sqliteTable('mapping_profiles', {
  name: text('name').primaryKey(),
  dataset: text('dataset'),
  columns: text('columns', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  codes: text('codes', { mode: 'json' }).$type<Record<string, Record<string, string>>>().notNull(),
  description: text('description'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});
