import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../app-deps.js';
import { tenantScope } from '../auth/tenant-scope.js';
import { ApiError } from '../errors.js';
import { fhirResourceType } from '../job-manifest.js';
import { sendStoredFile } from '../send-stored-file.js';
import { idParams, loadJob, type IdParams } from './load-job.js';

/** A FHIR resource type name as the specification spells them (Patient, MedicationRequest...). */
const RESOURCE_TYPE = '^[A-Z][A-Za-z]{1,63}$';

interface FhirParams extends IdParams {
  resourceType: string;
}

/**
 * GET /jobs/:id/fhir/:resourceType: one FHIR R4 NDJSON file of a completed job (one resource per
 * line, as FHIR Bulk Data serves them), OperationOutcome being the rejected rows. Same 409/410
 * rules as the other downloads; a type the job did not write answers 404 listing those it did.
 */
export const jobFhirRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get<{ Params: FhirParams }>(
    '/jobs/:id/fhir/:resourceType',
    {
      config: { access: 'submitter', audit: 'job.download' },
      schema: {
        params: {
          type: 'object',
          properties: { ...idParams.properties, resourceType: { type: 'string', pattern: RESOURCE_TYPE } },
          required: ['id', 'resourceType'],
        },
      },
    },
    async (request, reply) => {
      const { jobs } = tenantScope(deps.db, request);
      const job = await loadJob(jobs, request.params.id);
      const wanted = request.params.resourceType;
      return sendStoredFile(reply, { jobs, storage: deps.storage }, job, (results) => {
        const written = results.flatMap((r) => fhirResourceType(r) ?? []).sort();
        if (written.length === 0) {
          throw new ApiError(404, 'result_not_found', 'the job wrote no FHIR files: "fhir" was not in options.outputs, or it had no record and no reject');
        }
        const result = results.find((r) => fhirResourceType(r) === wanted);
        if (!result) throw new ApiError(404, 'result_not_found', `the job wrote no ${wanted} resources; it has: ${written.join(', ')}`);
        return { result, fileName: `${wanted}.ndjson`, what: `FHIR ${wanted} file` };
      });
    },
  );
};
