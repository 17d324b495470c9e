import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Job, JobResult, ResultType } from '@harmonizer/db';
import type { RouteDeps } from '../app-deps.js';
import { tenantScope } from '../auth/tenant-scope.js';
import { ApiError } from '../errors.js';
import { RESULT_FORMATS, datasetOf, jobDatasets, type ResultFormat } from '../job-manifest.js';
import { sendStoredFile, type PickedFile } from '../send-stored-file.js';
import { idParams, loadJob, type IdParams } from './load-job.js';

const FILE_NAMES: Record<ResultType, string> = { harmonized: 'harmonized', rejects: 'rejects', report: 'report' };

interface FileRequest {
  type: ResultType;
  format: string;
  /** For harmonized files: the dataset asked for (optional when the job has only one). */
  dataset?: string | undefined;
}

/**
 * The stored file a request names. Harmonized files are per dataset: without `dataset`, a job
 * with one dataset answers with it and a job with several says which to choose (400).
 */
function pickResult(job: Job, results: JobResult[], wanted: FileRequest): PickedFile {
  const name = FILE_NAMES[wanted.type];
  const what = `${wanted.type} file in ${wanted.format}`;
  if (wanted.type !== 'harmonized') {
    return { result: results.find((r) => r.type === wanted.type && r.format === wanted.format), fileName: `${name}.${wanted.format}`, what };
  }
  const datasets = jobDatasets(job, results);
  if (datasets.length === 0) {
    throw new ApiError(404, 'result_not_found', 'the job wrote no harmonized records: its file held no record of any dataset (see the report)');
  }
  const dataset = wanted.dataset ?? (datasets.length === 1 ? datasets[0] : undefined);
  if (dataset === undefined) {
    throw new ApiError(400, 'dataset_required', `the job has several datasets (${datasets.join(', ')}): pass dataset=<name>`);
  }
  if (!datasets.includes(dataset)) {
    throw new ApiError(404, 'result_not_found', `the job has no dataset ${dataset.slice(0, 64)}; it has: ${datasets.join(', ')}`);
  }
  const result = results.find((r) => r.type === 'harmonized' && r.format === wanted.format && datasetOf(job, r) === dataset);
  // A single-dataset job keeps the file name it always had.
  const fileName = `${datasets.length === 1 ? name : `${dataset}.${name}`}.${wanted.format}`;
  // A format the job was not asked to write (options.outputs) is a missing file, named as such.
  return { result, fileName, what: `${wanted.format} file for ${dataset} (see options.outputs)` };
}

/**
 * GET /jobs/:id/result, /rejects, /report (streamed from storage) and /logs (from the database).
 * Files exist only for a completed job, and only until DELETE removes them.
 */
export const jobFilesRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { db } = deps;

  /** Loads the caller's tenant's job and streams the file asked for. */
  async function sendFile(request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, wanted: FileRequest) {
    const { jobs } = tenantScope(db, request);
    const job = await loadJob(jobs, request.params.id);
    return sendStoredFile(reply, { jobs, storage: deps.storage }, job, (results) => pickResult(job, results, wanted));
  }

  app.get<{ Params: IdParams; Querystring: { format: ResultFormat; dataset?: string } }>(
    '/jobs/:id/result',
    {
      config: { access: 'submitter', audit: 'job.download' },
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            format: { type: 'string', enum: RESULT_FORMATS, default: 'csv' },
            dataset: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
      },
    },
    async (request, reply) =>
      sendFile(request, reply, { type: 'harmonized', format: request.query.format, dataset: request.query.dataset }),
  );

  app.get<{ Params: IdParams }>('/jobs/:id/rejects', { config: { access: 'submitter', audit: 'job.download' }, schema: { params: idParams } }, async (request, reply) =>
    sendFile(request, reply, { type: 'rejects', format: 'ndjson' }),
  );

  // The report holds counts and rule codes, no record values: viewers may read it.
  app.get<{ Params: IdParams }>('/jobs/:id/report', { config: { access: 'viewer', audit: 'job.report' }, schema: { params: idParams } }, async (request, reply) =>
    sendFile(request, reply, { type: 'report', format: 'json' }),
  );

  app.get<{ Params: IdParams; Querystring: { limit: number; after?: number } }>(
    '/jobs/:id/logs',
    {
      config: { access: 'viewer' },
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            after: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (request) => {
      const { jobs } = tenantScope(db, request);
      const job = await loadJob(jobs, request.params.id);
      const { limit, after } = request.query;
      const logs = await jobs.listLogs(job.id, { limit, afterId: after });
      const last = logs.at(-1);
      return {
        items: logs.map((log) => ({ id: log.id, at: log.at, level: log.level, message: log.message, data: log.data })),
        next_after: logs.length === limit && last ? last.id : null,
      };
    },
  );
};

