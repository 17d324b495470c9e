import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { HARMONIZE_JOB, QUEUE_NAME, type HarmonizeJobData } from './harmonize-job.js';

export interface HarmonizeQueue {
  /** Enqueues the job under its own id, so enqueueing twice is a no-op. */
  enqueue(jobId: string): Promise<void>;
  /** Removes a waiting or delayed job; a job a worker holds is left to notice its cancelled row. */
  remove(jobId: string): Promise<void>;
  /** Whether Redis holds the job in any state (waiting, active, delayed...). */
  exists(jobId: string): Promise<boolean>;
  counts(): Promise<Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed' | 'paused' | 'prioritized', number>>;
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly queue: Queue<HarmonizeJobData>;
}

export interface HarmonizeQueueOptions {
  connection: Redis;
  prefix: string;
  attempts: number;
  backoffMs: number;
}

export function createHarmonizeQueue(options: HarmonizeQueueOptions): HarmonizeQueue {
  const queue = new Queue<HarmonizeJobData>(QUEUE_NAME, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      // The database keeps the record; Redis keeps only what is still to be done.
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
  return {
    queue,
    async enqueue(jobId) {
      await queue.add(HARMONIZE_JOB, { jobId }, { jobId });
    },
    async remove(jobId) {
      const job = await queue.getJob(jobId);
      if (!job) return;
      const state = await job.getState();
      if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
        await job.remove().catch(() => undefined); // a worker may have taken it meanwhile
      }
    },
    async exists(jobId) {
      return (await queue.getJob(jobId)) !== undefined;
    },
    async counts() {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused', 'prioritized');
      return {
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
        paused: counts.paused ?? 0,
        prioritized: counts.prioritized ?? 0,
      };
    },
    async ping() {
      await options.connection.ping();
    },
    async close() {
      await queue.close();
    },
  };
}
