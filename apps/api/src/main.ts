import type { FastifyBaseLogger } from 'fastify';
import { ConfigError, loadApiConfig, type Config } from '@harmonizer/config';
import { createDb } from '@harmonizer/db';
import { createHarmonizeQueue, createRedisConnection } from '@harmonizer/queue';
import { createStorage } from '@harmonizer/storage';
import { buildApp } from './app.js';
import { AuthSetupError } from './auth/auth-failure.js';

/** Auth is on unless AUTH_MODE=none: an api with AUTH_MODE=required and no JWT key source does not start. */
function readConfig(): Config {
  try {
    return loadApiConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

const config = readConfig();
const db = await createDb(config.database);
const storage = createStorage(config);
const redis = createRedisConnection(config.redisUrl, 'producer');
const queue = createHarmonizeQueue({
  connection: redis,
  prefix: config.queuePrefix,
  attempts: config.jobAttempts,
  backoffMs: config.jobBackoffMs,
});

// ioredis reconnects on its own; while Redis is down the api answers 503 on submit and /ready.
// Listening before the app (and its logger) exists: BullMQ reports connection errors as events.
let redisDown = false;
const logger: { current?: FastifyBaseLogger } = {};
queue.queue.on('error', (err) => {
  if (!redisDown) (logger.current ?? console).warn({ err: err.message }, 'redis is unreachable; retrying');
  redisDown = true;
});
redis.on('ready', () => {
  if (redisDown) logger.current?.info('redis is reachable again');
  redisDown = false;
});

const server = await buildApp({ config, db, storage, queue, logger: { level: config.logLevel } }).catch(async (err: unknown) => {
  // A JWT key file that cannot be read or used: say which and stop, before listening.
  if (!(err instanceof AuthSetupError)) throw err;
  console.error(`Invalid configuration:\n  - ${err.message}`);
  await Promise.allSettled([queue.close(), db.close()]);
  redis.disconnect();
  process.exit(1);
});
logger.current = server.log;
if (config.auth.mode === 'none') {
  // Loud on purpose: with AUTH_MODE=none anyone who reaches the port is the admin of the tenant.
  console.error(
    [
      '',
      '#'.repeat(78),
      '#  WARNING: AUTH_MODE=none - authentication is OFF.',
      `#  Every request acts as admin of tenant "${config.auth.tenantId}". For local use only:`,
      '#  never expose this api to a network. Set AUTH_MODE=required with JWT settings.',
      '#'.repeat(78),
      '',
    ].join('\n'),
  );
  server.log.warn({ authMode: 'none', tenant: config.auth.tenantId }, 'authentication is OFF (AUTH_MODE=none): every request is admin; local use only');
}

// An upload cut off by a crash (of this api or another on the same storage) leaves a temp file. A
// live upload touches its file at least once per idle timeout (silent clients are cut off), so
// one untouched for twice that long is a leftover. Results' temp files are the workers' to clean.
const removed = await storage.cleanupTemp(2 * config.uploadIdleTimeoutMs, { prefix: 'uploads' });
if (removed > 0) server.log.info({ removed }, 'removed stale temporary upload files');

await server.listen({ host: config.host, port: config.port });
const address = server.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
server.log.info({ url, docs: `${url}/docs`, database: db.dialect }, `harmonizer api listening on ${url}`);

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  server.log.info({ signal }, 'shutting down: finishing in-flight requests');
  const force = setTimeout(() => {
    server.log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs);
  force.unref();
  // A kept-alive connection whose request finishes during shutdown would hold close() until the
  // keep-alive timeout: drop each connection as soon as it goes idle.
  setInterval(() => server.server.closeIdleConnections(), 100).unref();
  try {
    await server.close();
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
    await db.close();
    server.log.info('shut down cleanly');
    process.exit(0);
  } catch (err) {
    server.log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}

process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
