export { HARMONIZE_JOB, QUEUE_NAME, type HarmonizeJobData } from './harmonize-job.js';
export { createRedisConnection } from './connection.js';
export { createHarmonizeQueue, type HarmonizeQueue } from './harmonize-queue.js';
export { createHarmonizeWorker, type HarmonizeProcessor, type HarmonizeWorkerOptions } from './harmonize-worker.js';
export {
  MAINTENANCE_QUEUE_NAME,
  RETENTION_SWEEP,
  createMaintenanceQueue,
  createMaintenanceWorker,
  type MaintenanceHandlers,
  type MaintenanceQueue,
} from './maintenance-queue.js';
export { UnrecoverableError, type Job as QueueJob, type Worker as QueueWorker } from 'bullmq';
