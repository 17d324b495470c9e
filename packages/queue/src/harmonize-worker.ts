import { Worker, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAME, type HarmonizeJobData } from './harmonize-job.js';

export type HarmonizeProcessor = Processor<HarmonizeJobData, void>;

export interface HarmonizeWorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** Lock time; the main thread stays free so BullMQ can renew it while the pool works. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired (a dead worker's) and puts them back. */
  stalledIntervalMs?: number;
  autorun?: boolean;
}

export function createHarmonizeWorker(options: HarmonizeWorkerOptions, processor: HarmonizeProcessor): Worker<HarmonizeJobData, void> {
  return new Worker<HarmonizeJobData, void>(QUEUE_NAME, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    autorun: options.autorun ?? true,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 0 },
  });
}
