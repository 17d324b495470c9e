import { performance } from 'node:perf_hooks';
import { InputError } from '@harmonizer/core';
import { UnrecoverableError, type HarmonizeProcessor } from '@harmonizer/queue';
import { ObjectTamperedError, UnknownEncryptionKeyError, jobResultsPrefix } from '@harmonizer/storage';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.js';
import { runPipeline, type PipelineDeps, type PipelineSummary } from './pipeline.js';

export interface ProcessJobDeps extends PipelineDeps {
  logger: Logger;
  metrics: WorkerMetrics;
}

/** Feeds the finished job's figures to Prometheus: counts and rule codes only. */
function recordCompleted(metrics: WorkerMetrics, summary: PipelineSummary, seconds: number): void {
  metrics.jobsFinished.inc({ status: 'completed' });
  metrics.jobDuration.observe({ dataset: summary.dataset }, seconds);
  metrics.recordsProcessed.inc({ outcome: 'accepted' }, summary.counts.rows_out);
  metrics.recordsProcessed.inc({ outcome: 'rejected' }, summary.counts.rows_rejected);
  metrics.recordsProcessed.inc({ outcome: 'duplicate' }, summary.counts.duplicates);
  metrics.recordsProcessed.inc({ outcome: 'superseded' }, summary.counts.superseded ?? 0);
  for (const [rule, { severity, count }] of Object.entries(summary.rules)) {
    metrics.validationIssues.inc({ rule, severity }, count);
  }
  for (const [kind, count] of Object.entries(summary.duplicatesByKind)) {
    metrics.duplicatesRemoved.inc({ kind }, count);
  }
}

/** A failure no retry can fix, as the user sees it, or null for one worth retrying. */
export function permanentFailure(err: unknown): { code: string; message: string; cause: 'input' | 'storage' } | null {
  if (err instanceof InputError) return { code: err.code, message: err.message, cause: 'input' };
  if (err instanceof ObjectTamperedError) {
    return {
      code: 'storage.tampered',
      message:
        'The stored upload failed its integrity check (it was changed or damaged after it was stored), so none of it was read. ' +
        'Submit the file again, and report this job id to the operator.',
      cause: 'storage',
    };
  }
  if (err instanceof UnknownEncryptionKeyError) {
    return {
      code: 'storage.unknown_key',
      message:
        `The stored upload was encrypted with key id "${err.keyId}", which this service no longer has. ` +
        'The operator must add that key to ENCRYPTION_KEYS (after the current one); then retry the job.',
      cause: 'storage',
    };
  }
  return null;
}

/**
 * The BullMQ processor. The database row is the truth: a row that is no longer queued or running
 * is left alone; bad input, and a stored upload that failed its integrity check or whose
 * encryption key is unknown, fail the row at once and are not retried; anything else is rethrown
 * so BullMQ retries with backoff (the next attempt starts over, nothing partial is visible).
 */
export function createProcessJob(deps: ProcessJobDeps): HarmonizeProcessor {
  // Three declared parameters: BullMQ passes the lock-loss / shutdown signal only to processors that take it.
  return async (job, _token, signal) => {
    const jobId = job.data.jobId;
    const attempt = job.attemptsMade + 1;
    const log = deps.logger.child({ jobId, attempt });
    const row = await deps.db.jobs.markRunning(jobId);
    if (!row) {
      log.info('job is no longer active; skipped');
      return;
    }
    const started = performance.now();
    log.info({ sizeBytes: row.sizeBytes }, 'processing started');
    await deps.db.jobs.appendLog(jobId, 'info', 'processing started', { attempt, size_bytes: row.sizeBytes });
    try {
      const outcome = await runPipeline(row, deps, signal);
      const durationMs = Math.round(performance.now() - started);
      if (outcome.status === 'cancelled') {
        deps.metrics.jobsFinished.inc({ status: 'cancelled' });
        log.info({ durationMs }, 'job cancelled while running; stopped without results');
        await deps.db.jobs.appendLog(jobId, 'info', 'stopped: job was cancelled', { duration_ms: durationMs });
        return;
      }
      const completed = await deps.db.jobs.markCompleted(jobId, outcome.done);
      if (!completed) {
        // Another run of the same job (after a lost lock) may have completed it with the same keys:
        // its files are the job's results. Anything else (cancelled meanwhile) leaves none behind.
        if ((await deps.db.jobs.get(jobId))?.status === 'completed') {
          log.warn({ durationMs }, 'job was completed by another run; this run is dropped');
          return;
        }
        await deps.storage.removePrefix(jobResultsPrefix(jobId));
        deps.metrics.jobsFinished.inc({ status: 'cancelled' });
        log.info({ durationMs }, 'job cancelled before completion; results removed');
        return;
      }
      recordCompleted(deps.metrics, outcome.summary, durationMs / 1000);
      log.info({ durationMs, dataset: outcome.summary.dataset, ...outcome.done.counts }, 'processing completed');
      await deps.db.jobs.appendLog(jobId, 'info', 'processing completed', {
        dataset: outcome.summary.dataset,
        datasets: outcome.summary.datasets,
        duration_ms: durationMs,
        ...outcome.done.counts,
        mapping: outcome.summary.mapping,
      });
    } catch (err) {
      const permanent = permanentFailure(err);
      if (permanent) {
        const { code, message, cause } = permanent;
        const failed = await deps.db.jobs.markFailed(jobId, { code, message });
        if (failed) deps.metrics.jobsFinished.inc({ status: 'failed' });
        const what = cause === 'input' ? 'input rejected' : 'stored upload unreadable';
        log.warn({ code }, `${what}; not retried`);
        await deps.db.jobs.appendLog(jobId, 'error', what, { code });
        throw new UnrecoverableError(message);
      }
      const lastAttempt = attempt >= (job.opts.attempts ?? 1);
      // Shutdown or a lost lock aborts the signal: the job goes back to the queue, not the user's fault.
      const interrupted = signal?.aborted === true;
      const errorCode = (err as NodeJS.ErrnoException | undefined)?.code; // ENOSPC, ECONNREFUSED...: no values
      log.warn({ errorName: err instanceof Error ? err.name : typeof err, errorCode, interrupted, lastAttempt }, 'attempt failed');
      const message = interrupted
        ? 'attempt interrupted (worker stopping or lock lost); handed back to the queue'
        : lastAttempt
          ? 'attempt failed; no attempts left'
          : 'attempt failed, will retry';
      await deps.db.jobs
        .appendLog(jobId, 'warn', message, { attempt, ...(typeof errorCode === 'string' ? { error_code: errorCode } : {}) })
        .catch(() => undefined); // the database may be what failed; the retry matters more than the line
      throw err;
    }
  };
}
