import type { FastifyPluginAsync } from 'fastify';
import { JOB_STATUSES, type JobStatus } from '@harmonizer/db';
import type { RouteDeps } from '../app-deps.js';
import { tenantScope } from '../auth/tenant-scope.js';
import { ApiError } from '../errors.js';
import { jobDatasets } from '../job-manifest.js';
import { toCreatedJob, toJobRecord, toJobSummary } from '../job-view.js';
import { createSubmitJob } from '../submit-job.js';
import { idParams, loadJob, type IdParams } from './load-job.js';

interface ListQuery {
  status?: JobStatus;
  limit: number;
  cursor?: string;
}

const listQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: JOB_STATUSES },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', minLength: 1, maxLength: 512 },
  },
  additionalProperties: false,
} as const;

/** POST /jobs, GET /jobs, GET /jobs/:id. */
export const jobsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const submitJob = createSubmitJob(deps);

  app.post('/jobs', {
    config: { access: 'submitter', audit: 'job.create' },
    // Decided before the body is touched, so a JSON or form-urlencoded body is never parsed.
    onRequest: async (request) => {
      if (!/^multipart\/form-data\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
        throw new ApiError(415, 'unsupported_media_type', 'send the upload as multipart/form-data with a "file" part');
      }
    },
    // After auth, before the upload is read: 429 rate_limited past the submissions a minute.
    preHandler: app.submissionRateLimit,
    handler: async (request, reply) => {
      const { created, job } = await submitJob(request);
      const body = toCreatedJob(job);
      return reply.status(created ? 202 : 200).header('location', body.links.self).send(body);
    },
  });

  app.get<{ Querystring: ListQuery }>('/jobs', { config: { access: 'viewer' }, schema: { querystring: listQuery } }, async (request) => {
    const { status, limit, cursor } = request.query;
    const page = await tenantScope(deps.db, request).jobs.list({ status, limit, cursor });
    return { items: page.items.map(toJobSummary), next_cursor: page.nextCursor };
  });

  app.get<{ Params: IdParams }>('/jobs/:id', { config: { access: 'viewer' }, schema: { params: idParams } }, async (request) => {
    const { jobs } = tenantScope(deps.db, request);
    const job = await loadJob(jobs, request.params.id);
    const results = job.status === 'completed' ? await jobs.listResults(job.id) : [];
    return toJobRecord(job, await jobs.getMetrics(job.id), jobDatasets(job, results), deps.config.retention.resultsMs);
  });
};
