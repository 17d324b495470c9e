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
} from 'drizzle-orm/pg-core';
import { JOB_STATUSES, LOG_LEVELS, RESULT_TYPES, type JobCounts } from '../types.js';

/**
 * Postgres schema. Tables carry no schema name: the connection's search_path picks the schema, so
 * one migration set serves every DATABASE_SCHEMA (the package's `generate` script strips the
 * "public". qualifier drizzle-kit writes into foreign keys). Timestamps are timestamptz with millisecond
 * precision, the same resolution the ISO strings of the Job contract carry.
 */

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const ts = (name: string) => timestamp(name, { precision: 3, withTimezone: true, mode: 'date' });
const bytes = (name: string) => bigint(name, { mode: 'number' });

export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    status: text('status', { enum: JOB_STATUSES }).notNull(),
    dataset: text('dataset'),
    detectedDataset: text('detected_dataset'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type'),
    sizeBytes: bytes('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    options: jsonb('options').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').unique('jobs_idempotency_key_unique'),
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
  },
  (t) => [
    index('jobs_status_idx').on(t.status),
    index('jobs_created_at_idx').on(t.createdAt),
    index('jobs_created_at_id_idx').on(t.createdAt, t.id),
    check('jobs_status_check', sql`${t.status} in (${inList(JOB_STATUSES)})`),
  ],
);

export const jobResults = pgTable(
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

/** Saved mapping profiles (issue 3): reusable column and code mappings, referenced by name. */
export const mappingProfiles = pgTable('mapping_profiles', {
  name: text('name').primaryKey(),
  dataset: text('dataset'),
  columns: jsonb('columns').$type<Record<string, string>>().notNull(),
  codes: jsonb('codes').$type<Record<string, Record<string, string>>>().notNull(),
  description: text('description'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});
