import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps, RouteDeps } from './app-deps.js';
import { API_PREFIX } from './job-view.js';
import { createApiMetrics } from './metrics.js';
import { errorsPlugin } from './plugins/errors.js';
import { metricsPlugin } from './plugins/metrics.js';
import { multipartPlugin } from './plugins/multipart.js';
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
  });
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);

  const metrics = createApiMetrics({ db: deps.db, queue: deps.queue });
  const routeDeps: RouteDeps = { config: deps.config, db: deps.db, storage: deps.storage, queue: deps.queue, metrics };
  const { maxUploadBytes } = deps.config;

  await app.register(errorsPlugin, { maxUploadBytes });
  await app.register(metricsPlugin, { metrics });
  await app.register(multipartPlugin, { maxUploadBytes });
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
  return app;
}
