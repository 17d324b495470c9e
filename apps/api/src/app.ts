import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps, RouteDeps } from './app-deps.js';
import { authPlugin } from './auth/auth-plugin.js';
import { API_PREFIX } from './job-view.js';
import { createApiMetrics } from './metrics.js';
import { auditPlugin } from './plugins/audit.js';
import { errorsPlugin } from './plugins/errors.js';
import { answerFrameworkError, hardeningPlugin } from './plugins/hardening.js';
import { metricsPlugin } from './plugins/metrics.js';
import { multipartPlugin } from './plugins/multipart.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { apiKeysRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { datasetsRoutes } from './routes/datasets.js';
import { docsRoutes } from './routes/docs.js';
import { jobDeleteRoutes } from './routes/job-delete.js';
import { jobFhirRoutes } from './routes/job-fhir.js';
import { jobRetryRoutes } from './routes/job-retry.js';
import { jobFilesRoutes } from './routes/job-files.js';
import { jobStatusRoutes } from './routes/job-status.js';
import { jobsRoutes } from './routes/jobs.js';
import { mappingsRoutes } from './routes/mappings.js';
import { systemRoutes } from './routes/system.js';

export type { AppDeps } from './app-deps.js';

/** Builds the api with every plugin and route registered explicitly; the caller listens or injects. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // On close: answer 503 to requests on kept-alive sockets, drop idle ones, finish in-flight.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A client silent this long is cut off: no upload hangs forever, and no live upload's temp file gets older.
    connectionTimeout: deps.config.uploadIdleTimeoutMs,
    // JSON bodies (mappings, api keys); uploads are multipart, bounded by MAX_UPLOAD_BYTES instead.
    bodyLimit: deps.config.limits.jsonBodyBytes,
    frameworkErrors: answerFrameworkError,
  });
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);

  const metrics = createApiMetrics({ db: deps.db, queue: deps.queue });
  const routeDeps: RouteDeps = { config: deps.config, db: deps.db, storage: deps.storage, queue: deps.queue, metrics };
  const { maxUploadBytes } = deps.config;

  await app.register(errorsPlugin, { maxUploadBytes });
  // First: CORS preflights are answered before auth, and every answer (401s too) gets the headers.
  await app.register(hardeningPlugin, { corsOrigins: deps.config.corsOrigins });
  // Before every route and plugin that adds routes: it marks plugin routes (/docs) public as they come.
  await app.register(authPlugin, { config: deps.config, db: deps.db });
  await app.register(metricsPlugin, { metrics });
  await app.register(auditPlugin, { db: deps.db });
  await app.register(rateLimitPlugin, { config: deps.config });
  await app.register(multipartPlugin, {
    maxUploadBytes,
    maxParts: deps.config.limits.uploadParts,
    maxFieldBytes: deps.config.limits.fieldBytes,
  });
  await app.register(docsRoutes);
  await app.register(systemRoutes, routeDeps);
  await app.register(jobsRoutes, { ...routeDeps, prefix: API_PREFIX });
  await app.register(jobStatusRoutes, { ...routeDeps, prefix: API_PREFIX });
  await app.register(jobFilesRoutes, { ...routeDeps, prefix: API_PREFIX });
  await app.register(jobFhirRoutes, { ...routeDeps, prefix: API_PREFIX });
  await app.register(jobDeleteRoutes, { ...routeDeps, prefix: API_PREFIX });
  await app.register(jobRetryRoutes, { ...routeDeps, prefix: API_PREFIX });
  await app.register(datasetsRoutes, { prefix: API_PREFIX });
  await app.register(mappingsRoutes, { ...routeDeps, prefix: API_PREFIX });
  await app.register(apiKeysRoutes, { ...routeDeps, prefix: API_PREFIX });
  await app.register(auditRoutes, { ...routeDeps, prefix: API_PREFIX });
  return app;
}
