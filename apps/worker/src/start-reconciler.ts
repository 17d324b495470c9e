import type { Config } from '@harmonizer/config';
import type { Database } from '@harmonizer/db';
import { QUEUE_NAME, createHarmonizeQueue, createRedisConnection } from '@harmonizer/queue';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.js';
import { createReconciler } from './reconciler.js';

/**
 * Runs the reconciler on its own producer connection: it fails fast while Redis is down (the
 * pass is skipped and tried again next interval) instead of queueing commands like the consumer's.
 */
export function startReconciler(config: Config, deps: { db: Database; logger: Logger; metrics: WorkerMetrics }) {
  const redis = createRedisConnection(config.redisUrl, 'producer');
  redis.on('error', () => undefined); // reported by the pass that fails; ioredis reconnects by itself
  const queue = createHarmonizeQueue({
    connection: redis,
    prefix: config.queuePrefix,
    attempts: config.jobAttempts,
    backoffMs: config.jobBackoffMs,
  });
  queue.queue.on('error', () => undefined);
  const reconciler = createReconciler({
    db: deps.db,
    queue,
    lock: redis,
    lockKey: `${config.queuePrefix}:${QUEUE_NAME}:reconciler`,
    logger: deps.logger,
    metrics: deps.metrics,
    settings: {
      intervalMs: config.worker.reconcileIntervalMs,
      lockMs: config.worker.lockMs,
      progressIntervalMs: config.worker.progressIntervalMs,
      attempts: config.jobAttempts,
    },
  });
  // The first pass waits for the connection: a producer connection refuses commands until ready.
  if (redis.status === 'ready') reconciler.start();
  else redis.once('ready', () => reconciler.start());
  return {
    async stop() {
      await reconciler.stop();
      await queue.close().catch(() => undefined);
      redis.disconnect();
    },
  };
}
