import type { FastifyPluginAsync } from 'fastify';
import { describeDatasets, engineRules, type DatasetDescription } from '@harmonizer/core';
import { ApiError } from '../errors.js';

interface NameParams {
  name: string;
}

/**
 * GET /datasets and /datasets/:name: the canonical model from the engine's registry (fields,
 * types, required fields, synonyms, FHIR paths, natural key, required column sets, rules).
 * Static data, worked out once; it changes only with a new release.
 */
export const datasetsRoutes: FastifyPluginAsync = async (app) => {
  const datasets = describeDatasets();
  const rules = engineRules();
  const byName = new Map<string, DatasetDescription>(datasets.map((d) => [d.name, d]));

  app.get('/datasets', { config: { access: 'viewer' } }, async () => ({ datasets, rules }));

  app.get<{ Params: NameParams }>(
    '/datasets/:name',
    {
      config: { access: 'viewer' },
      schema: { params: { type: 'object', properties: { name: { type: 'string', maxLength: 100 } }, required: ['name'] } },
    },
    async (request) => {
      const dataset = byName.get(request.params.name);
      if (!dataset) {
        throw new ApiError(404, 'dataset_not_found', `no dataset named "${request.params.name.slice(0, 40)}"; use one of ${[...byName.keys()].join(', ')}`);
      }
      return dataset;
    },
  );
};
