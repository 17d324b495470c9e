import { setTimeout as delay } from 'node:timers/promises';
import type { Config } from '@harmonizer/config';
import type { Database, Job } from '@harmonizer/db';
import { RETENTION_SWEEP, createMaintenanceQueue, createMaintenanceWorker, createRedisConnection } from '@harmonizer/queue';
import { jobResultsPrefix, jobUploadPrefix, type ObjectStorage } from '@harmonizer/storage';
import type { Logger } from 'pino';

/** How long after a job finished its raw upload resp. its result files are kept; null = forever. */
export interface RetentionPeriods {
  uploadsMs: number | null;
  resultsMs: number | null;
}

export interface RetentionDeps {
  db: Database;
  storage: ObjectStorage;
  logger: Logger;
  retention: RetentionPeriods;
  /** Jobs read per query (default 100). */
  batchSize?: number;
  /** Stops the sweep between two jobs (shutdown). */
  signal?: AbortSignal;
}

export interface RetentionReport {
  /** Jobs whose raw upload was removed. */
  uploadsDeleted: number;
  /** Jobs whose result files were removed (expired_at set). */
  resultsExpired: number;
  /** Jobs whose files could not be removed this time; they are tried again next sweep. */
  failed: number;
}

const DEFAULT_BATCH = 100;
/** Removals failing in a row end the pass (storage is down); the next sweep tries again. */
const MAX_FAILURES_IN_A_ROW = 10;

type Kind = 'upload' | 'results';

const prefixOf = (kind: Kind, job: Job) => (kind === 'upload' ? jobUploadPrefix(job.id) : jobResultsPrefix(job.id));

/**
 * Removes the files of one kind of every finished job older than `periodMs`, oldest first, in
 * batches. A job is marked only after its files are gone, so a failed removal is retried by the
 * next sweep; after MAX_FAILURES_IN_A_ROW failures in a row the pass ends (storage is down).
 */
async function sweepKind(deps: RetentionDeps, kind: Kind, periodMs: number, now: Date): Promise<{ done: number; failed: number }> {
  const finishedBefore = new Date(now.getTime() - periodMs).toISOString();
  const limit = deps.batchSize ?? DEFAULT_BATCH;
  // Jobs left unmarked this pass (removal failed, or the row changed meanwhile) are still listed
  // (oldest first): later pages read past them.
  const skipped = new Set<string>();
  let done = 0;
  let failed = 0;
  let failuresInARow = 0;
  while (!deps.signal?.aborted && failuresInARow < MAX_FAILURES_IN_A_ROW) {
    const asked = limit + skipped.size;
    const listed = await deps.db.jobs.listForRetention({ kind, finishedBefore, limit: asked });
    const batch = listed.filter((job) => !skipped.has(job.id));
    for (const job of batch) {
      if (deps.signal?.aborted || failuresInARow >= MAX_FAILURES_IN_A_ROW) break;
      try {
        await deps.storage.removePrefix(prefixOf(kind, job));
        const marked = kind === 'upload' ? await deps.db.jobs.markUploadDeleted(job.id) : await deps.db.jobs.markExpired(job.id);
        if (marked) done += 1;
        else skipped.add(job.id);
        failuresInARow = 0;
      } catch (err) {
        skipped.add(job.id);
        failed += 1;
        failuresInARow += 1;
        deps.logger.warn({ jobId: job.id, kind, errorName: err instanceof Error ? err.name : typeof err }, 'retention could not remove a job\'s files');
      }
    }
    // A short page was the last one.
    if (listed.length < asked || batch.length === 0) break;
  }
  return { done, failed };
}

/**
 * One retention pass: raw uploads of jobs finished more than `uploadsMs` ago are removed (and
 * upload_deleted_at set), then result files of jobs finished more than `resultsMs` ago (expired_at
 * set; downloads answer 410 results_expired). A null period skips that kind. Logs counts only.
 */
export async function runRetentionSweep(deps: RetentionDeps, now: Date = new Date()): Promise<RetentionReport> {
  const { uploadsMs, resultsMs } = deps.retention;
  const uploads = uploadsMs === null ? { done: 0, failed: 0 } : await sweepKind(deps, 'upload', uploadsMs, now);
  const results = resultsMs === null ? { done: 0, failed: 0 } : await sweepKind(deps, 'results', resultsMs, now);
  const report = { uploadsDeleted: uploads.done, resultsExpired: results.done, failed: uploads.failed + results.failed };
  if (report.uploadsDeleted + report.resultsExpired + report.failed > 0) deps.logger.info(report, 'retention sweep');
  else deps.logger.debug(report, 'retention sweep: nothing to remove');
  return report;
}

/** How long stop() waits for a running sweep (told to stop between jobs) before closing anyway. */
const STOP_GRACE_MS = 5_000;

/**
 * Schedules the retention sweep (a BullMQ job scheduler every `config.retention.sweepIntervalMs`
 * on the maintenance queue; every worker upserts the same scheduler id, so there is one schedule)
 * and runs the sweeps this process is handed, one at a time. With both periods null, retention is
 * off: the schedule is removed and nothing runs.
 */
export function startRetention(
  config: Config,
  deps: Omit<RetentionDeps, 'retention' | 'signal'>,
): { stop(): Promise<void> } {
  const { logger } = deps;
  const connection = createRedisConnection(config.redisUrl, 'consumer');
  connection.on('error', () => undefined); // the queue and worker report; ioredis reconnects by itself
  const queue = createMaintenanceQueue({ connection, prefix: config.queuePrefix });
  queue.queue.on('error', (err) => logger.warn({ errorName: err.name }, 'maintenance queue error'));
  const { uploadsMs, resultsMs, sweepIntervalMs } = config.retention;

  if (uploadsMs === null && resultsMs === null) {
    logger.info('retention off: uploads and results are kept forever');
    const removing = queue.unschedule(RETENTION_SWEEP).catch(() => false);
    return {
      async stop() {
        await Promise.race([removing, delay(STOP_GRACE_MS, undefined, { ref: false })]);
        await queue.close().catch(() => undefined);
        connection.disconnect();
      },
    };
  }

  const abort = new AbortController();
  const sweepDeps: RetentionDeps = { ...deps, retention: { uploadsMs, resultsMs }, signal: abort.signal };
  const worker = createMaintenanceWorker(
    { connection, prefix: config.queuePrefix },
    { [RETENTION_SWEEP]: () => runRetentionSweep(sweepDeps) },
  );
  worker.on('error', (err) => logger.warn({ errorName: err.name }, 'maintenance worker error'));
  worker.on('failed', (_job, err) => logger.error({ errorName: err.name }, 'retention sweep failed'));
  // Not awaited: while Redis is down the upsert waits for it, and the worker starts anyway.
  queue
    .schedule(RETENTION_SWEEP, sweepIntervalMs)
    .then(() => logger.info({ uploadsMs, resultsMs, sweepIntervalMs }, 'retention sweep scheduled'))
    .catch((err: unknown) => logger.error({ errorName: err instanceof Error ? err.name : typeof err }, 'could not schedule the retention sweep'));

  return {
    async stop() {
      abort.abort();
      const closing = worker.close();
      const inTime = await Promise.race([closing.then(() => true), delay(STOP_GRACE_MS, false, { ref: false })]);
      if (!inTime) await worker.close(true).catch(() => undefined);
      await queue.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}
