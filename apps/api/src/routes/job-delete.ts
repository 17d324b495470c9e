import type { FastifyPluginAsync } from 'fastify';
import type { Job, TenantJobRepository } from '@harmonizer/db';
import { jobResultsPrefix, jobUploadPrefix } from '@harmonizer/storage';
import type { RouteDeps } from '../app-deps.js';
import { tenantScope } from '../auth/tenant-scope.js';
import { withTimeout } from '../with-timeout.js';
import { idParams, loadJob, type IdParams } from './load-job.js';

/**
 * DELETE /jobs/:id. An active job is cancelled: the row changes first (a worker that already
 * holds the job sees it and stops), then the queue entry is dropped. A finished job has its
 * stored files removed; the record stays.
 */
export const jobDeleteRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { db, storage, queue } = deps;

  async function removeFiles(jobs: TenantJobRepository, job: Job) {
    await storage.removePrefix(jobUploadPrefix(job.id));
    await storage.removePrefix(jobResultsPrefix(job.id));
    return (await jobs.markFilesDeleted(job.id)) ?? job;
  }

  app.delete<{ Params: IdParams }>('/jobs/:id', { config: { access: 'submitter', audit: 'job.delete' }, schema: { params: idParams } }, async (request, reply) => {
    const { jobs } = tenantScope(db, request);
    const job = await loadJob(jobs, request.params.id);
    if (job.status === 'queued' || job.status === 'running') {
      const cancelled = await jobs.cancel(job.id);
      if (cancelled) {
        request.auditAction = 'job.cancel';
        // The cancelled row is what counts; a queue entry left behind is skipped by the worker.
        await withTimeout(queue.remove(job.id), 3_000, 'redis').catch((err: unknown) =>
          request.log.warn({ jobId: job.id, err }, 'could not remove the cancelled job from the queue'),
        );
        request.log.info({ jobId: job.id }, 'job cancelled');
        return reply.status(202).send({ id: job.id, status: cancelled.status });
      }
    }
    // Finished, or it finished while we tried to cancel it.
    const current = await loadJob(jobs, job.id);
    const cleaned = await removeFiles(jobs, current);
    request.log.info({ jobId: job.id }, 'job files deleted');
    return reply.status(202).send({ id: cleaned.id, status: cleaned.status, files_deleted_at: cleaned.filesDeletedAt });
  });
};
