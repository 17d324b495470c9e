import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../app-deps.js';
import { tenantScope } from '../auth/tenant-scope.js';
import { toManifest } from '../job-manifest.js';
import { toProgress } from '../job-view.js';
import { idParams, loadJob, type IdParams } from './load-job.js';

/** Seconds a client should wait before polling again: running jobs move fast, queued ones wait. */
const RETRY_AFTER = { queued: '2', running: '1' } as const;

/** Completed jobs' manifests kept per api (serialized); past this many the least recently used go first. */
export const MAX_CACHED_MANIFESTS = 5000;
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * GET /jobs/:id/status: 202 with progress while active, 200 with the outcome once finished.
 *
 * A completed job's manifest is built from what the job row and its result rows hold once the job
 * completed (finished_at, counts, detected dataset, result files), none of which changes after:
 * a completed job is never requeued, and deletion or retention mark other columns. So it is
 * serialized once and answered from memory to the same tenant's later polls, without a database
 * read. The key holds the tenant: another tenant's request never reaches an entry it did not load.
 */
export const jobStatusRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const manifests = new Map<string, string>();
  const remember = (key: string, json: string) => {
    if (manifests.size >= MAX_CACHED_MANIFESTS) manifests.delete(manifests.keys().next().value as string);
    manifests.set(key, json);
  };

  app.get<{ Params: IdParams }>('/jobs/:id/status', { config: { access: 'viewer' }, schema: { params: idParams } }, async (request, reply) => {
    const scope = tenantScope(deps.db, request);
    const cacheKey = `${scope.tenantId}/${request.params.id}`;
    const cached = manifests.get(cacheKey);
    if (cached !== undefined) {
      manifests.delete(cacheKey);
      manifests.set(cacheKey, cached); // most recently used: last in the Map
      return reply.type(JSON_TYPE).send(cached);
    }
    const { jobs } = scope;
    const job = await loadJob(jobs, request.params.id);
    switch (job.status) {
      case 'queued':
      case 'running':
        await app.pollLimit.check(request, job.id, Number(RETRY_AFTER[job.status])); // 429 polling_too_fast
        return reply
          .status(202)
          .headers({ 'retry-after': RETRY_AFTER[job.status], 'x-progress': `${Math.floor(job.progressPercent)}%` })
          .send({ id: job.id, status: job.status, progress: toProgress(job) });
      case 'completed': {
        const json = JSON.stringify(toManifest(job, await jobs.listResults(job.id), deps.config.retention.resultsMs));
        remember(cacheKey, json);
        return reply.type(JSON_TYPE).send(json);
      }
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
