import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../app-deps.js';
import { toManifest } from '../job-manifest.js';
import { toProgress } from '../job-view.js';
import { idParams, loadJob, type IdParams } from './load-job.js';

/** Seconds a client should wait before polling again: running jobs move fast, queued ones wait. */
const RETRY_AFTER = { queued: '2', running: '1' } as const;

/** GET /jobs/:id/status: 202 with progress while active, 200 with the outcome once finished. */
export const jobStatusRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get<{ Params: IdParams }>('/jobs/:id/status', { schema: { params: idParams } }, async (request, reply) => {
    const job = await loadJob(deps.db.jobs, request.params.id);
    switch (job.status) {
      case 'queued':
      case 'running':
        return reply
          .status(202)
          .headers({ 'retry-after': RETRY_AFTER[job.status], 'x-progress': `${Math.floor(job.progressPercent)}%` })
          .send({ id: job.id, status: job.status, progress: toProgress(job) });
      case 'completed':
        return toManifest(job, await deps.db.jobs.listResults(job.id));
      case 'failed':
        return {
          id: job.id,
          status: job.status,
          error: { code: job.errorCode ?? 'failed', message: job.errorMessage ?? 'the job failed' },
        };
      case 'cancelled':
        return { id: job.id, status: job.status };
    }
  });
};
