import type { Job, TenantJobRepository } from '@harmonizer/db';
import { ApiError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A malformed id answers like an unknown one: 404, so ids reveal nothing about their shape. Read
 * through the caller's tenant scope, another tenant's job is missing too, with the same answer.
 */
export async function loadJob(jobs: Pick<TenantJobRepository, 'get'>, id: string): Promise<Job> {
  const job = UUID.test(id) ? await jobs.get(id.toLowerCase()) : null;
  if (!job) throw new ApiError(404, 'job_not_found', UUID.test(id) ? `no job with id ${id}` : 'no job with this id');
  return job;
}

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 100 } },
  required: ['id'],
} as const;

export interface IdParams {
  id: string;
}
