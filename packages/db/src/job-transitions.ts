import type { CompletedJob, JobStatus, NewJob, Progress } from './types.js';

/** A job in one of these will not run again by itself (a failed one may be retried by a user). */
export const FINISHED_STATUSES = ['completed', 'failed', 'cancelled'] as const satisfies readonly JobStatus[];

/**
 * Which statuses each change may leave. Every update names them in its WHERE clause, so a job
 * that was cancelled (or finished) meanwhile is left alone and the caller gets null/false back.
 */
export const TRANSITION_FROM = {
  markRunning: ['queued', 'running'],
  updateProgress: ['running'],
  markCompleted: ['running'],
  markFailed: ['queued', 'running'],
  cancel: ['queued', 'running'],
  markFilesDeleted: FINISHED_STATUSES,
  markUploadDeleted: FINISHED_STATUSES,
  markExpired: FINISHED_STATUSES,
} as const satisfies Record<string, readonly JobStatus[]>;

/*
 * Column values for each change, shared by both dialects. `T` is the dialect's timestamp value
 * (ISO text in SQLite, Date in Postgres); property names match both drizzle schemas.
 */

export function insertedJob<T>(job: NewJob, now: T) {
  return {
    id: job.id,
    tenantId: job.tenantId,
    status: 'queued' as const,
    dataset: job.dataset,
    fileName: job.fileName,
    contentType: job.contentType,
    sizeBytes: job.sizeBytes,
    sha256: job.sha256,
    storageKey: job.storageKey,
    options: job.options,
    idempotencyKey: job.idempotencyKey,
    createdAt: now,
    updatedAt: now,
  };
}

export function progressed<T>(progress: Progress, now: T) {
  return {
    progressPercent: progress.percent,
    recordsProcessed: progress.recordsProcessed,
    errorsFound: progress.errorsFound,
    updatedAt: now,
  };
}

export function completed<T>(done: CompletedJob, now: T) {
  return {
    status: 'completed' as const,
    detectedDataset: done.detectedDataset,
    counts: done.counts,
    progressPercent: 100,
    recordsProcessed: done.counts.rows_in,
    errorsFound: done.metrics.errors,
    finishedAt: now,
    updatedAt: now,
  };
}

export function failed<T>(error: { code: string; message: string }, now: T) {
  return { status: 'failed' as const, errorCode: error.code, errorMessage: error.message, finishedAt: now, updatedAt: now };
}

export function cancelled<T>(now: T) {
  return { status: 'cancelled' as const, finishedAt: now, updatedAt: now };
}

export function resultRows<T>(jobId: string, tenantId: string, done: CompletedJob, now: T) {
  return done.results.map((result) => ({
    jobId,
    tenantId,
    dataset: result.dataset ?? '',
    type: result.type,
    format: result.format,
    storageKey: result.storageKey,
    count: result.count,
    sizeBytes: result.sizeBytes,
    createdAt: now,
  }));
}

export function metricsRow<T>(jobId: string, tenantId: string, done: CompletedJob, now: T) {
  const m = done.metrics;
  return {
    jobId,
    tenantId,
    durationMs: m.durationMs,
    bytesIn: m.bytesIn,
    recordsIn: m.recordsIn,
    recordsOut: m.recordsOut,
    recordsRejected: m.recordsRejected,
    duplicates: m.duplicates,
    errors: m.errors,
    warnings: m.warnings,
    createdAt: now,
  };
}
