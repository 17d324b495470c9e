import type { FastifyPluginAsync } from 'fastify';
import type { Job } from '@harmonizer/db';
import type { RouteDeps } from '../app-deps.js';
import { tenantScope } from '../auth/tenant-scope.js';
import { ApiError } from '../errors.js';
import { toCreatedJob } from '../job-view.js';
import { REDIS_TIMEOUT_MS, assertQueueReachable } from '../submit-job.js';
import { withTimeout } from '../with-timeout.js';
import { idParams, loadJob, type IdParams } from './load-job.js';

const notRetryable = (job: Job) =>
  new ApiError(409, 'job_not_retryable', `only a failed job can be retried; this job is ${job.status}`);

const inputDeleted = () =>
  new ApiError(410, 'input_deleted', "the job's uploaded file was deleted, so it cannot run again: submit the file again");

const uploadExpired = (job: Job) =>
  new ApiError(410, 'upload_expired', `the job's uploaded file was removed at ${job.uploadDeletedAt} under the upload retention policy, so it cannot run again: submit the file again`);

/**
 * POST /jobs/:id/retry: a failed job whose upload is still stored goes back to queued (a fresh
 * round of attempts) and onto the queue. Like a submission, it is refused while Redis is down;
 * if the enqueue fails after the row changed, the reconciler enqueues the queued row later.
 */
export const jobRetryRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { db, storage, queue } = deps;

  app.post<{ Params: IdParams }>('/jobs/:id/retry', { config: { access: 'submitter', audit: 'job.retry' }, schema: { params: idParams } }, async (request, reply) => {
    const { jobs } = tenantScope(db, request);
    const job = await loadJob(jobs, request.params.id);
    if (job.status !== 'failed') throw notRetryable(job);
    if (job.uploadDeletedAt !== null) throw uploadExpired(job);
    if (job.filesDeletedAt !== null || (await storage.size(job.storageKey)) === null) throw inputDeleted();
    await assertQueueReachable(queue);

    const requeued = await jobs.requeue(job.id, { from: 'failed' });
    if (!requeued) {
      // Changed meanwhile: retried by another request, or its files deleted.
      const current = await loadJob(jobs, job.id);
      if (current.status === 'failed' && current.uploadDeletedAt !== null) throw uploadExpired(current);
      throw current.status === 'failed' ? inputDeleted() : notRetryable(current);
    }
    // The job is this tenant's (read above); the log row takes its tenant from the job row.
    await db.jobs.appendLog(job.id, 'info', 'retry requested', { previous_error_code: job.errorCode });
    try {
      await withTimeout(queue.enqueue(job.id), REDIS_TIMEOUT_MS, 'redis');
    } catch (err) {
      request.log.warn({ jobId: job.id, err }, 'enqueue of a retried job failed; the reconciler will enqueue it');
    }
    request.log.info({ jobId: job.id, previousErrorCode: job.errorCode }, 'job retried');
    const body = toCreatedJob(requeued);
    return reply.status(202).header('location', body.links.self).send(body);
  });
};
