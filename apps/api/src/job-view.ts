import type { Job, JobMetrics } from '@harmonizer/db';

export const API_PREFIX = '/api/v1';

/** Where each of a job's resources lives; clients follow these instead of building URLs. */
export function jobLinks(id: string) {
  const self = `${API_PREFIX}/jobs/${id}`;
  return {
    self,
    status: `${self}/status`,
    result: `${self}/result`,
    rejects: `${self}/rejects`,
    report: `${self}/report`,
    logs: `${self}/logs`,
  };
}

export const toProgress = (job: Job) => ({
  percent: job.progressPercent,
  records_processed: job.recordsProcessed,
  errors_found: job.errorsFound,
});

const errorView = (job: Job) =>
  job.errorCode === null ? null : { code: job.errorCode, message: job.errorMessage ?? job.errorCode };

/** The answer to a submission (and to a repeated Idempotency-Key). */
export function toCreatedJob(job: Job) {
  const { self, status, result } = jobLinks(job.id);
  return { id: job.id, status: job.status, dataset: job.dataset, created_at: job.createdAt, links: { self, status, result } };
}

/**
 * When retention removes (or removed) a finished job's result files: finished_at + the result
 * retention period (RESULT_RETENTION); null while the job is active or when results are kept forever.
 */
export function expiresAt(job: Job, resultsMs: number | null): string | null {
  if (job.finishedAt === null || resultsMs === null) return null;
  return new Date(Date.parse(job.finishedAt) + resultsMs).toISOString();
}

/** One row of GET /jobs: enough to pick a job, without options, counts or metrics. */
export function toJobSummary(job: Job) {
  const { self, status, result } = jobLinks(job.id);
  return {
    id: job.id,
    status: job.status,
    dataset: job.dataset,
    detected_dataset: job.detectedDataset,
    file_name: job.fileName,
    size_bytes: job.sizeBytes,
    progress: toProgress(job),
    error: errorView(job),
    created_at: job.createdAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
    links: { self, status, result },
  };
}

/**
 * The whole record of GET /jobs/{id}, in snake_case. `datasets`: the datasets a completed job
 * wrote records for (a FHIR file can hold several; detected_dataset is the first).
 */
export function toJobRecord(job: Job, metrics: JobMetrics | null, datasets: string[], resultsMs: number | null) {
  return {
    id: job.id,
    status: job.status,
    dataset: job.dataset,
    detected_dataset: job.detectedDataset,
    datasets,
    file_name: job.fileName,
    content_type: job.contentType,
    size_bytes: job.sizeBytes,
    sha256: job.sha256,
    options: job.options,
    progress: toProgress(job),
    counts: job.counts,
    error: errorView(job),
    attempts: job.attempts,
    created_at: job.createdAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
    files_deleted_at: job.filesDeletedAt,
    upload_deleted_at: job.uploadDeletedAt,
    expired_at: job.expiredAt,
    expires_at: expiresAt(job, resultsMs),
    metrics: metrics && {
      duration_ms: metrics.durationMs,
      bytes_in: metrics.bytesIn,
      records_in: metrics.recordsIn,
      records_out: metrics.recordsOut,
      records_rejected: metrics.recordsRejected,
      duplicates: metrics.duplicates,
      errors: metrics.errors,
      warnings: metrics.warnings,
    },
    links: jobLinks(job.id),
  };
}
