import fp from 'fastify-plugin';
import type { ApiMetrics } from '../metrics.js';

/** Times every request under its route template, so `/jobs/:id` is one series, not one per id. */
export const metricsPlugin = fp<{ metrics: ApiMetrics }>(
  async (app, { metrics }) => {
    app.addHook('onResponse', async (request, reply) => {
      metrics.httpDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'harmonizer-metrics' },
);
