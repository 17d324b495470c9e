import type { Database } from '@harmonizer/db';
import type { QueueJob } from '@harmonizer/queue';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.js';

/** What the user sees for a job that failed for reasons inside the service: no internals, no PHI. */
export const GENERIC_FAILURE_MESSAGE = 'Processing failed after repeated attempts: submit the file again, or ask the operator to check the worker logs.';
export const STORAGE_FULL_MESSAGE =
  'The result storage ran out of space while writing the outputs; nothing was kept. Retry the job (POST /api/v1/jobs/{id}/retry) once space is freed.';

/** The last attempt's error, as the user sees it: a full disk is named, anything else stays generic. */
function failureOf(err: Error): { code: string; message: string } {
  const errno = (err as NodeJS.ErrnoException).code;
  if (errno === 'ENOSPC' || errno === 'EDQUOT') return { code: 'storage_full', message: STORAGE_FULL_MESSAGE };
  return { code: 'processing_failed', message: GENERIC_FAILURE_MESSAGE };
}

export interface ReconcileDeps {
  db: Pick<Database, 'jobs'>;
  metrics: WorkerMetrics;
  logger: Logger;
}

/**
 * The handler for the BullMQ worker's 'failed' event. The row must never stay 'running' forever:
 * when BullMQ gives up on a job (attempts exhausted, or stalled too often, which arrives here as
 * an UnrecoverableError), the row is failed too. A row already failed with a precise code (bad
 * input) or cancelled is left as it is: markFailed only moves queued|running rows.
 */
export function createFailureReconciler(deps: ReconcileDeps): (job: QueueJob | undefined, err: Error) => Promise<void> {
  return async (job, err) => {
    if (!job) return; // removed from Redis already; the next worker to pick up the id reconciles
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    if (!exhausted) return;
    const jobId = (job.data as { jobId: string }).jobId;
    try {
      const failure = failureOf(err);
      const row = await deps.db.jobs.markFailed(jobId, failure);
      if (!row) return;
      deps.metrics.jobsFinished.inc({ status: 'failed' });
      deps.logger.warn({ jobId, attemptsMade: job.attemptsMade, code: failure.code }, 'job failed for good');
      await deps.db.jobs.appendLog(jobId, 'error', 'processing failed; no attempts left', { attempts: job.attemptsMade, code: failure.code });
    } catch {
      deps.logger.error({ jobId }, 'could not record the failure of a job');
    }
  };
}
