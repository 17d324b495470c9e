import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, loadConfig, type Config } from '@harmonizer/config';
import { createDb } from '@harmonizer/db';
import { createHarmonizeWorker, createRedisConnection } from '@harmonizer/queue';
import { createStorage } from '@harmonizer/storage';
import { pino, type Logger } from 'pino';
import { createWorkerMetrics } from './metrics.js';
import { startMetricsServer } from './metrics-server.js';
import { missingWorkerFlags, readWorkerNodeFlags } from './node-flags.js';
import { createPool } from './pool.js';
import { createProcessJob } from './process-job.js';
import { createFailureReconciler } from './reconcile-failed.js';
import { startReconciler } from './start-reconciler.js';
import { startRetention } from './retention.js';

/** After the shutdown timeout, running pipelines are told to stop; this is how long they get to do so. */
const HAND_BACK_GRACE_MS = 5_000;
/** Temp files older than this can only be left by a crashed writer (live writers touch theirs constantly). */
const STALE_TEMP_MS = 6 * 60 * 60 * 1000;

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger: Logger = pino({ level: config.logLevel, base: { service: 'worker', pid: process.pid } });
  const db = await createDb(config.database);
  const storage = createStorage(config);
  const removedTemp = await storage.cleanupTemp(STALE_TEMP_MS);
  if (removedTemp > 0) logger.info({ removedTemp }, 'removed temp files left by interrupted writes');
  const pool = createPool({ threads: config.worker.threads });
  const metrics = createWorkerMetrics({ pool });
  const metricsServer = await startMetricsServer(metrics.registry, { host: config.worker.metricsHost, port: config.worker.metricsPort });
  const connection = createRedisConnection(config.redisUrl, 'consumer');
  const processJob = createProcessJob({ db, storage, pool, metrics, logger, settings: config.worker });
  const { lockMs } = config.worker;
  const worker = createHarmonizeWorker(
    { connection, prefix: config.queuePrefix, concurrency: config.worker.concurrency, lockDurationMs: lockMs, stalledIntervalMs: lockMs },
    processJob,
  );
  const reconciler = startReconciler(config, { db, logger, metrics });
  const retention = startRetention(config, { db, storage, logger });

  const reconcile = createFailureReconciler({ db, metrics, logger });
  worker.on('failed', (job, err) => void reconcile(job, err));
  worker.on('error', (err) => logger.error({ errorName: err.name }, 'queue worker error'));

  logger.info(
    { concurrency: config.worker.concurrency, threads: config.worker.threads, metricsPort: metricsServer.port },
    'worker started',
  );
  const missing = missingWorkerFlags(readWorkerNodeFlags(), process.execArgv, process.env);
  if (missing.length > 0) {
    logger.warn({ missing }, 'worker started without some of apps/worker/node-flags.json: it runs, with a higher peak RSS (start it with `npm run worker`)');
  }

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new jobs');
    await Promise.all([reconciler.stop(), retention.stop()]);
    const closing = worker.close();
    const inTime = await Promise.race([closing.then(() => true), delay(config.shutdownTimeoutMs, false, { ref: false })]);
    if (!inTime) {
      // Running pipelines abort their writers and throw; BullMQ puts the job back for another worker.
      logger.warn('current jobs did not finish in time; handing them back');
      worker.cancelAllJobs('shutdown');
      const handedBack = await Promise.race([closing.then(() => true), delay(HAND_BACK_GRACE_MS, false, { ref: false })]);
      // Still stuck: drop the connection; the lock expires and the stalled check re-queues the job.
      if (!handedBack) connection.disconnect();
    }
    await Promise.allSettled([pool.destroy(), metricsServer.close()]);
    await db.close();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'worker failed to start', error: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
