import { randomUUID } from 'node:crypto';
import type { Database, Job } from '@harmonizer/db';
import type { HarmonizeQueue } from '@harmonizer/queue';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.js';

/** Rows looked at per status and pass: a backlog drains over a few passes, never in one long one. */
const BATCH = 200;
/** A queued row younger than this may be between the api's insert and its enqueue: left alone. */
const MAX_QUEUED_GRACE_MS = 10_000;

export const LOST_JOB_MESSAGE =
  'The worker running this job stopped and its attempts are used up: retry it (POST /api/v1/jobs/{id}/retry) or submit the file again.';

export interface ReconcilerSettings {
  /** Time between passes; also how long one worker holds the reconciler lock. */
  intervalMs: number;
  /** The BullMQ lock duration: a running row untouched for two of these has no live worker. */
  lockMs: number;
  /** How often a live worker touches its row (progress); the stale window is never shorter than a few of these. */
  progressIntervalMs: number;
  /** JOB_ATTEMPTS: a lost job is queued again while its row has started fewer times than this. */
  attempts: number;
}

export interface ReconcilerDeps {
  db: Pick<Database, 'jobs'>;
  queue: Pick<HarmonizeQueue, 'enqueue' | 'exists'>;
  /** SET NX PX on the queue's Redis: one worker of the fleet reconciles per interval. */
  lock: { set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<'OK' | null> };
  lockKey: string;
  logger: Logger;
  metrics?: Pick<WorkerMetrics, 'jobsFinished'>;
  settings: ReconcilerSettings;
  now?: () => number;
}

/** What one pass did, by job id. */
export interface ReconcileReport {
  enqueued: string[];
  requeued: string[];
  failed: string[];
}

export interface Reconciler {
  /** One pass, if this worker wins the lock; null when another worker reconciled this interval. */
  runOnce(): Promise<ReconcileReport | null>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Keeps the database (the truth) and the queue (a pointer) in agreement, whatever crashed:
 *  - a queued row with no BullMQ job (the api died between insert and enqueue, or Redis lost its
 *    data) is enqueued again; the job id is the row id, so a job that does exist is never doubled;
 *  - a running row whose BullMQ job is gone and that no worker touched for the stale window (the
 *    worker died while Redis forgot the job) goes back to queued and is enqueued while attempts
 *    remain, and is failed with 'processing_lost' once they are used up.
 * Both changes are conditional updates, so a row a live worker touches meanwhile is left alone.
 */
export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const { settings } = deps;
  const now = deps.now ?? Date.now;
  const queuedGraceMs = Math.min(settings.intervalMs, MAX_QUEUED_GRACE_MS);
  const staleMs = Math.max(2 * settings.lockMs, 3 * settings.progressIntervalMs);
  const log = deps.logger.child({ component: 'reconciler' });
  const token = randomUUID();

  async function recoverRunning(job: Job, updatedBefore: string, report: ReconcileReport): Promise<void> {
    if (job.attempts < settings.attempts) {
      const back = await deps.db.jobs.requeue(job.id, { from: 'running', updatedBefore });
      if (!back) return;
      await deps.queue.enqueue(job.id);
      report.requeued.push(job.id);
      log.warn({ jobId: job.id, attempts: job.attempts }, 'running job had no queue entry and no live worker; queued again');
      await deps.db.jobs.appendLog(job.id, 'warn', 'worker lost; job queued again', { attempts: job.attempts });
      return;
    }
    const failed = await deps.db.jobs.failStale(job.id, { code: 'processing_lost', message: LOST_JOB_MESSAGE }, updatedBefore);
    if (!failed) return;
    deps.metrics?.jobsFinished.inc({ status: 'failed' });
    report.failed.push(job.id);
    log.warn({ jobId: job.id, attempts: job.attempts }, 'running job lost with no attempts left; failed');
    await deps.db.jobs.appendLog(job.id, 'error', 'worker lost; no attempts left', { attempts: job.attempts });
  }

  async function pass(): Promise<ReconcileReport> {
    const report: ReconcileReport = { enqueued: [], requeued: [], failed: [] };
    const at = now();
    const queued = await deps.db.jobs.listStale({
      statuses: ['queued'],
      updatedBefore: new Date(at - queuedGraceMs).toISOString(),
      limit: BATCH,
    });
    for (const job of queued) {
      if (await deps.queue.exists(job.id)) continue;
      await deps.queue.enqueue(job.id);
      report.enqueued.push(job.id);
      log.warn({ jobId: job.id }, 'queued job had no queue entry; enqueued');
    }
    const updatedBefore = new Date(at - staleMs).toISOString();
    const running = await deps.db.jobs.listStale({ statuses: ['running'], updatedBefore, limit: BATCH });
    for (const job of running) {
      if (await deps.queue.exists(job.id)) continue; // BullMQ's stalled check owns jobs it still holds
      await recoverRunning(job, updatedBefore, report);
    }
    return report;
  }

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let busy = false;

  async function runOnce(): Promise<ReconcileReport | null> {
    if (busy) return null;
    busy = true;
    try {
      const won = await deps.lock.set(deps.lockKey, token, 'PX', settings.intervalMs, 'NX');
      if (won !== 'OK') return null;
      const report = await pass();
      const changed = report.enqueued.length + report.requeued.length + report.failed.length;
      if (changed > 0) log.info({ enqueued: report.enqueued.length, requeued: report.requeued.length, failed: report.failed.length }, 'reconciled');
      return report;
    } finally {
      busy = false;
    }
  }

  const tick = () => {
    current = runOnce()
      // Redis or the database is down: the next pass tries again; nothing here is lost by waiting.
      .catch((err: unknown) => {
        const errorCode = (err as NodeJS.ErrnoException | undefined)?.code;
        // Infrastructure errors (connection refused, timeouts) carry no record values.
        const message = err instanceof Error ? err.message : String(err);
        log.warn({ errorName: err instanceof Error ? err.name : typeof err, errorCode, error: message }, 'reconcile pass failed');
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, settings.intervalMs).unref();
      });
  };

  return {
    runOnce,
    start() {
      if (timer || stopped) return;
      timer = setTimeout(tick, 0).unref();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
