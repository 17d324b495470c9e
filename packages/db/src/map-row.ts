import type { Job, JobLog, JobMetrics, JobResult } from './types.js';

/** SQLite stores ISO text; Postgres hands back Date objects. Both leave here as ISO with ms and 'Z'. */
export type Timestamp = string | Date;

type Stamped<T, K extends keyof T> = Omit<T, K> & { [P in K]: null extends T[P] ? Timestamp | null : Timestamp };

export type JobRow = Stamped<
  Job,
  'createdAt' | 'updatedAt' | 'startedAt' | 'finishedAt' | 'filesDeletedAt' | 'uploadDeletedAt' | 'expiredAt'
>;
/** The tables store '' where the contract says null (the column is part of the primary key). */
export type JobResultRow = Stamped<Omit<JobResult, 'dataset'>, 'createdAt'> & { dataset: string };
export type JobLogRow = Stamped<JobLog, 'at'>;
export type JobMetricsRow = JobMetrics & { createdAt: Timestamp };

export function toIso(value: Timestamp): string {
  return typeof value === 'string' ? value : value.toISOString();
}

export const toIsoOrNull = (value: Timestamp | null): string | null => (value === null ? null : toIso(value));

/** Field by field, so a column added to a table never leaks into the contract unnoticed. */
export function mapJobRow(row: JobRow): Job {
  return {
    id: row.id,
    tenantId: row.tenantId,
    status: row.status,
    dataset: row.dataset,
    detectedDataset: row.detectedDataset,
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    storageKey: row.storageKey,
    options: row.options,
    idempotencyKey: row.idempotencyKey,
    progressPercent: row.progressPercent,
    recordsProcessed: row.recordsProcessed,
    errorsFound: row.errorsFound,
    counts: row.counts,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    attempts: row.attempts,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
    startedAt: toIsoOrNull(row.startedAt),
    finishedAt: toIsoOrNull(row.finishedAt),
    filesDeletedAt: toIsoOrNull(row.filesDeletedAt),
    uploadDeletedAt: toIsoOrNull(row.uploadDeletedAt),
    expiredAt: toIsoOrNull(row.expiredAt),
  };
}

export function mapResultRow(row: JobResultRow): JobResult {
  return {
    jobId: row.jobId,
    dataset: row.dataset === '' ? null : row.dataset,
    type: row.type,
    format: row.format,
    storageKey: row.storageKey,
    count: row.count,
    sizeBytes: row.sizeBytes,
    createdAt: toIso(row.createdAt),
  };
}

export function mapLogRow(row: JobLogRow): JobLog {
  return { id: row.id, jobId: row.jobId, at: toIso(row.at), level: row.level, message: row.message, data: row.data };
}

export function mapMetricsRow(row: JobMetricsRow): JobMetrics {
  return {
    jobId: row.jobId,
    durationMs: row.durationMs,
    bytesIn: row.bytesIn,
    recordsIn: row.recordsIn,
    recordsOut: row.recordsOut,
    recordsRejected: row.recordsRejected,
    duplicates: row.duplicates,
    errors: row.errors,
    warnings: row.warnings,
  };
}
