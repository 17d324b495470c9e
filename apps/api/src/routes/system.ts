import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../app-deps.js';
import { errorBody } from '../errors.js';
import { API_PREFIX } from '../job-view.js';
import { withTimeout } from '../with-timeout.js';

const CHECK_TIMEOUT_MS = 2_000;

/** The root package.json: the same relative path from src/routes and dist/routes. */
function readVersion(): { name: string; version: string } {
  const root = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: root.name, version: root.version };
}

/** /health, /ready, /version and /metrics, outside the versioned prefix as probes expect. */
export const systemRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { name, version } = readVersion();

  // Probes and scrapers call these without credentials; they show no tenant's data.
  app.get('/health', { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/ready', { config: { access: 'public' } }, async (_request, reply) => {
    const checks = {
      database: withTimeout(deps.db.ping(), CHECK_TIMEOUT_MS, 'database'),
      redis: withTimeout(deps.queue.ping(), CHECK_TIMEOUT_MS, 'redis'),
    };
    const settled = await Promise.allSettled(Object.values(checks));
    const down = Object.keys(checks).filter((_, i) => settled[i]?.status === 'rejected');
    if (down.length > 0) {
      return reply.status(503).send(errorBody('not_ready', `${down.join(' and ')} ${down.length === 1 ? 'is' : 'are'} down`));
    }
    return { status: 'ready', checks: { database: 'ok', redis: 'ok' } };
  });

  app.get('/version', { config: { access: 'public' } }, async () => ({ name, version, node: process.version }));

  const sendMetrics = async (_request: unknown, reply: FastifyReply) =>
    reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  app.get('/metrics', { config: { access: 'public' } }, sendMetrics);
  app.get(`${API_PREFIX}/metrics`, { config: { access: 'public' } }, sendMetrics);
};
