import { getDataset, isDatasetName } from '@harmonizer/core';
import { MAPPING_NAME_PATTERN, type MappingProfileInput } from '@harmonizer/db';
import { ApiError } from './errors.js';

const NAME = { type: 'string', pattern: MAPPING_NAME_PATTERN.source } as const;
const STRING_MAP = { type: 'object', maxProperties: 1000, additionalProperties: { type: 'string', minLength: 1, maxLength: 500 } } as const;

const profileProperties = {
  dataset: { type: ['string', 'null'], maxLength: 100 },
  columns: STRING_MAP,
  codes: { type: 'object', maxProperties: 200, additionalProperties: STRING_MAP },
  description: { type: ['string', 'null'], maxLength: 1000 },
} as const;

/** POST body: Fastify validates it, so a bad field is answered 400 `validation_failed` naming it. */
export const createMappingBody = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: NAME, ...profileProperties },
} as const;

/** PUT body: the whole profile but its name (the URL names it). */
export const replaceMappingBody = { type: 'object', additionalProperties: false, properties: profileProperties } as const;

export const mappingNameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', maxLength: 100 } },
} as const;

export interface MappingBody {
  name?: string;
  dataset?: string | null;
  columns?: Record<string, string>;
  codes?: Record<string, Record<string, string>>;
  description?: string | null;
}

const invalid = (field: string, message: string) => new ApiError(400, 'invalid_mapping', `${field} ${message}`);

/**
 * The checks a JSON schema cannot make: with a dataset, every canonical field named (columns'
 * values, codes' keys) must be one of its fields, so a typo is caught when saved, not per job.
 */
export function toMappingProfile(name: string, body: MappingBody): MappingProfileInput {
  const dataset = body.dataset ?? null;
  const columns = body.columns ?? {};
  const codes = body.codes ?? {};
  if (dataset !== null) {
    if (!isDatasetName(dataset)) throw invalid('dataset', `"${dataset.slice(0, 40)}" is not a known dataset; see GET /api/v1/datasets`);
    const fields = new Set(getDataset(dataset).fields.map((f) => f.name));
    for (const [column, field] of Object.entries(columns)) {
      if (!fields.has(field)) throw invalid(`columns.${column.slice(0, 100)}`, `names "${field.slice(0, 100)}", not a ${dataset} field`);
    }
    for (const field of Object.keys(codes)) {
      if (!fields.has(field)) throw invalid(`codes.${field.slice(0, 100)}`, `is not a ${dataset} field`);
    }
  }
  for (const [field, table] of Object.entries(codes)) {
    if (Object.keys(table).some((local) => local.trim() === '')) throw invalid(`codes.${field.slice(0, 100)}`, 'has an empty local code');
  }
  return { name, dataset, columns, codes, description: body.description ?? null };
}
