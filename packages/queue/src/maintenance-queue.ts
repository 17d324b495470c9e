import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

/** Housekeeping tasks (retention sweeps...) made by BullMQ job schedulers; separate from the harmonize queue. */
export const MAINTENANCE_QUEUE_NAME = 'maintenance';

/** The scheduler id (and job name) of the retention sweep: every worker upserts the same one. */
export const RETENTION_SWEEP = 'retention-sweep';

export interface MaintenanceQueueOptions {
  connection: Redis;
  prefix: string;
}

export interface MaintenanceQueue {
  /**
   * Creates or updates the scheduler `schedulerId`, which makes one job named like it every
   * `everyMs`. Idempotent: every process may call it with the same id (BullMQ upserts), so there
   * is one schedule however many workers run. The first job is due at once.
   */
  schedule(schedulerId: string, everyMs: number): Promise<void>;
  /** Removes the scheduler (and its next, delayed job); false when there was none. */
  unschedule(schedulerId: string): Promise<boolean>;
  /** The scheduler's interval and next run, or null when there is none. */
  scheduler(schedulerId: string): Promise<{ every: number | null; next: number | null } | null>;
  close(): Promise<void>;
  readonly queue: Queue;
}

export function createMaintenanceQueue(options: MaintenanceQueueOptions): MaintenanceQueue {
  const queue = new Queue(MAINTENANCE_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  return {
    queue,
    async schedule(schedulerId, everyMs) {
      await queue.upsertJobScheduler(
        schedulerId,
        { every: everyMs },
        {
          name: schedulerId,
          data: {},
          // A failed run is not retried: the next one comes after `everyMs` anyway.
          opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 10 } },
        },
      );
    },
    async unschedule(schedulerId) {
      return queue.removeJobScheduler(schedulerId);
    },
    async scheduler(schedulerId) {
      const found = await queue.getJobScheduler(schedulerId);
      return found ? { every: found.every ?? null, next: found.next ?? null } : null;
    },
    async close() {
      await queue.close();
    },
  };
}

/** Runs a maintenance job: the handler named like the job (its scheduler id). */
export type MaintenanceHandlers = Readonly<Record<string, (job: Job) => Promise<unknown>>>;

export interface MaintenanceWorkerOptions {
  /** A consumer connection (`maxRetriesPerRequest: null`), as BullMQ workers need. */
  connection: Redis;
  prefix: string;
  autorun?: boolean;
}

/**
 * One maintenance job at a time per process (concurrency 1); BullMQ hands each scheduled job to
 * one worker, so a sweep runs once per interval across all processes.
 */
export function createMaintenanceWorker(options: MaintenanceWorkerOptions, handlers: MaintenanceHandlers): Worker {
  return new Worker(
    MAINTENANCE_QUEUE_NAME,
    async (job) => {
      const handler = handlers[job.name];
      if (!handler) throw new Error(`no handler for maintenance job ${job.name}`);
      return handler(job);
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: 1,
      autorun: options.autorun ?? true,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 10 },
    },
  );
}
