import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChunkPool } from './pool.js';

export const FINISHED_STATUSES = ['completed', 'failed', 'cancelled'] as const;
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];
export const RECORD_OUTCOMES = ['accepted', 'rejected', 'duplicate', 'superseded'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

export interface WorkerMetrics {
  readonly registry: Registry;
  readonly jobsFinished: Counter<'status'>;
  readonly jobDuration: Histogram<'dataset'>;
  readonly recordsProcessed: Counter<'outcome'>;
  readonly validationIssues: Counter<'rule' | 'severity'>;
  readonly duplicatesRemoved: Counter<'kind'>;
}

/** One registry per worker process; the pool gauges are read at scrape time. */
export function createWorkerMetrics(deps: { pool: Pick<ChunkPool, 'threads' | 'queueSize' | 'utilization'> }): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'harmonizer_worker_' });
  const registers = [registry];

  const jobsFinished = new Counter({
    name: 'harmonizer_jobs_finished_total',
    help: 'Jobs this worker finished, by final status.',
    labelNames: ['status'] as const,
    registers,
  });
  for (const status of FINISHED_STATUSES) jobsFinished.inc({ status }, 0);

  const recordsProcessed = new Counter({
    name: 'harmonizer_records_processed_total',
    help: 'Input records by outcome: accepted (written), rejected (validation error), duplicate (removed), superseded (replaced by a newer version).',
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of RECORD_OUTCOMES) recordsProcessed.inc({ outcome }, 0);

  const pool = deps.pool;
  new Gauge({
    name: 'harmonizer_pool_utilization_ratio',
    help: 'Share of the thread pool capacity spent running chunks since start (0..1).',
    registers,
    collect() {
      this.set(pool.utilization());
    },
  });
  new Gauge({
    name: 'harmonizer_pool_threads',
    help: 'Threads in the chunk pool.',
    registers,
    collect() {
      this.set(pool.threads);
    },
  });
  new Gauge({
    name: 'harmonizer_pool_queue_size',
    help: 'Chunks waiting for a free thread.',
    registers,
    collect() {
      this.set(pool.queueSize());
    },
  });

  return {
    registry,
    jobsFinished,
    recordsProcessed,
    jobDuration: new Histogram({
      name: 'harmonizer_job_duration_seconds',
      help: 'Wall time of completed jobs, from start of processing to results committed.',
      labelNames: ['dataset'] as const,
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    validationIssues: new Counter({
      name: 'harmonizer_validation_issues_total',
      help: 'Record-level validation issues found, by rule code and severity.',
      labelNames: ['rule', 'severity'] as const,
      registers,
    }),
    duplicatesRemoved: new Counter({
      name: 'harmonizer_duplicates_removed_total',
      help: 'Records removed as duplicates, by kind (exact or key).',
      labelNames: ['kind'] as const,
      registers,
    }),
  };
}
